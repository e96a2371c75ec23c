"""Spark raw layout and landing: Parquet files the Spark session reads, with DuckDB's rules
(landing.land_into): newest version wins, quarantine, listing marks, pruning, and the cursor
in the same commit. The landing needs no JVM: it writes Parquet with pyarrow; dbt's Spark
session registers what the last commit names when its run starts
(dbt_project/macros/spark.sql, `spark__register_raw_tables`). DECISIONLOG.md, 2026-12-02.

Layout under `<spark dir>/raw/` (LEDGERDESK_SPARK_DIR, default: `spark/` beside the
warehouse file):

    manifest.json                       the commit: one line of JSON, replaced atomically
    raw_<gateway>/<entity>/<seq>.parquet  one file per batch that changed the table

Each file holds row versions (the raw columns, plus `_seq`, the commit that wrote it, and
`_deleted` for a pruned row). A table's rows are, per (account_id, id), the version of the
highest `_seq` among the files its manifest entry lists, unless deleted. The manifest holds,
per table, its files and `base_seq` (files below it are superseded by a compaction), and the
cursors and quarantine of every (gateway, account, entity).

A batch: write its file under a hidden name, rename it, then replace the manifest (write,
fsync, rename): until that last rename nothing of the batch is visible, to dbt (its views read
`_seq <= seq` of the manifest it saw) or to the next landing (which lists only the
manifest's files). Every file the manifest does not name (a failed batch's) is removed
before a seq is allocated, when the store opens and before each commit, so no later commit's
range covers it. One writer at a time (a lock file), as DuckDB's file.
"""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.extract.batch import LandingBatch
from pipelines.extract.landing import LandingCounts
from pipelines.extract.tables import oldest_open_with, raw_table

MANIFEST = "manifest.json"  # the one visible file of raw/ (Spark hides "." names)
# A table's files are compacted into one when it has more than this many.
MAX_FILES = 64

SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("id", pa.string()),
        ("created", pa.int64()),
        ("payload", pa.string()),
        ("payload_hash", pa.string()),
        ("version_at", pa.int64()),
        ("synced_at", pa.timestamp("us", tz="UTC")),
        ("listed_at", pa.int64()),
        ("_seq", pa.int64()),
        ("_deleted", pa.bool_()),
    ]
)
RAW_COLUMNS = tuple(SCHEMA.names[:-2])
_STATE_COLUMNS = [n for n in SCHEMA.names if n != "payload"]


def spark_dir(warehouse_path: Path | None = None) -> Path:
    """LEDGERDESK_SPARK_DIR, else `spark/` beside the warehouse file (data/spark)."""
    env = os.environ.get("LEDGERDESK_SPARK_DIR")
    if env:
        return Path(env).resolve()
    base = Path(warehouse_path).parent if warehouse_path is not None else Path("data")
    return (base / "spark").resolve()


def _now_us() -> int:
    return time.time_ns() // 1000


@dataclass
class SparkStore:
    """The raw store of one Spark directory, held open by one writer (its lock taken)."""

    root: Path  # <spark dir>/raw
    manifest: dict[str, Any] = field(default_factory=dict)
    _lock: Any = None

    # --- the manifest ---
    @property
    def seq(self) -> int:
        return self.manifest["seq"]

    def table_entry(self, table: str) -> dict[str, Any]:
        return self.manifest["tables"].get(table, {"base_seq": 0, "files": []})

    def table_files(self, table: str) -> list[Path]:
        return [self.root / f for f in self.table_entry(table)["files"]]

    def close(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def __enter__(self) -> SparkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- rows ---
    def live_state(self, table: str, account_id: str | None = None) -> dict[tuple, dict]:
        """{(account_id, id): row without payload} of the table's current rows."""
        state: dict[tuple, dict] = {}
        for path in self.table_files(table):
            part = pq.read_table(path, columns=_STATE_COLUMNS)
            for row in part.to_pylist():
                if account_id is not None and row["account_id"] != account_id:
                    continue
                key = (row["account_id"], row["id"])
                held = state.get(key)
                if held is None or row["_seq"] > held["_seq"]:
                    state[key] = row
        return {k: r for k, r in state.items() if not r["_deleted"]}

    def payloads(self, table: str, wanted: dict[tuple, int]) -> dict[tuple, str]:
        """{key: payload} of the row versions `wanted` ({key: _seq}) names."""
        found: dict[tuple, str] = {}
        if not wanted:
            return found
        for path in self.table_files(table):
            part = pq.read_table(path, columns=["account_id", "id", "payload", "_seq"])
            for row in part.to_pylist():
                key = (row["account_id"], row["id"])
                if wanted.get(key) == row["_seq"]:
                    found[key] = row["payload"]
        return found

    def rows(self, table: str) -> pa.Table:
        """The table's current rows (the raw columns), ordered by (account_id, id)."""
        state = self.live_state(table)
        text = self.payloads(table, {k: r["_seq"] for k, r in state.items()})
        rows = [{**state[k], "payload": text[k]} for k in sorted(state)]
        return pa.Table.from_pylist(rows, schema=SCHEMA).select(list(RAW_COLUMNS))

    # --- commits ---
    def write_file(self, table: str, rows: list[dict], seq: int) -> str:
        """One Parquet file of row versions at `seq`, under its final name (not yet listed)."""
        schema_name, name = table.split(".", 1)
        folder = self.root / schema_name / name
        folder.mkdir(parents=True, exist_ok=True)
        relative = f"{schema_name}/{name}/{seq:012d}-{uuid.uuid4().hex[:8]}.parquet"
        hidden = folder / f".{uuid.uuid4().hex}.tmp"  # Spark lists no name starting with "."
        data = pa.Table.from_pylist([{**r, "_seq": seq} for r in rows], schema=SCHEMA)
        pq.write_table(data, hidden)
        _fsync(hidden)
        os.replace(hidden, self.root / relative)
        return relative

    def commit(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest: the one step that makes a batch visible."""
        tmp = self.root / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
        tmp.write_bytes(orjson.dumps(manifest) + b"\n")
        _fsync(tmp)
        os.replace(tmp, self.root / MANIFEST)
        _fsync(self.root)
        superseded = _listed(self.manifest) - _listed(manifest)
        self.manifest = manifest
        for relative in superseded:
            (self.root / relative).unlink(missing_ok=True)

    def next_manifest(self) -> dict[str, Any]:
        """A copy of the manifest at the next seq, allocated only once no file but the
        manifest's is on disk: a failed batch's file carries the seq it was given, and dbt's
        view reads the folder, so a commit at that seq or past it would show its rows."""
        self.remove_unlisted()
        return orjson.loads(orjson.dumps(self.manifest)) | {"seq": self.seq + 1}

    def remove_unlisted(self) -> None:
        """Files no commit names (a batch that failed before its commit), temp files."""
        listed = _listed(self.manifest)
        for path in self.root.glob("raw_*/*/*"):
            if path.relative_to(self.root).as_posix() not in listed:
                path.unlink(missing_ok=True)
        for path in self.root.glob(f".{MANIFEST}.*.tmp"):
            path.unlink(missing_ok=True)

    def compact(self, table: str) -> None:
        """The table's current rows in one file; the older files superseded."""
        manifest = self.next_manifest()
        rows = self.rows(table).to_pylist()
        relative = self.write_file(table, [{**r, "_deleted": False} for r in rows], manifest["seq"])
        manifest["tables"][table] = {"base_seq": manifest["seq"], "files": [relative]}
        self.commit(manifest)

    def replace_table(self, table: str, data: pa.Table) -> None:
        """Every row of `table` replaced by `data` (raw columns) in one commit (the copier)."""
        manifest = self.next_manifest()
        rows = [{**r, "_deleted": False} for r in data.select(list(RAW_COLUMNS)).to_pylist()]
        relative = self.write_file(table, rows, manifest["seq"])
        manifest["tables"][table] = {"base_seq": manifest["seq"], "files": [relative]}
        self.commit(manifest)


def _listed(manifest: dict[str, Any]) -> set[str]:
    return {f for entry in manifest.get("tables", {}).values() for f in entry["files"]}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_store(directory: Path) -> SparkStore:
    """The raw store under `directory` (the Spark dir), its writer lock held until close."""
    root = Path(directory) / "raw"
    root.mkdir(parents=True, exist_ok=True)
    lock = open(root / ".lock", "a+")  # noqa: SIM115 (held for the store's life)
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
    try:
        path = root / MANIFEST
        manifest = (
            orjson.loads(path.read_bytes())
            if path.exists()
            else {"seq": 0, "tables": {}, "cursors": {}, "quarantine": {}}
        )
        store = SparkStore(root, manifest, lock)
        store.remove_unlisted()
    except BaseException:
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        lock.close()
        raise
    return store


def _key(gateway: str, account_id: str, entity: str) -> str:
    return orjson.dumps([gateway, account_id, entity]).decode()


# --- the engine's functions (the shape of engines/postgres.py's) ---
def prepare_tables(store: SparkStore, gateway: str, entity: str) -> None:
    """The (empty) raw table, committed, before any read: dbt then finds it."""
    table = raw_table(gateway, entity)
    (store.root / table.replace(".", "/")).mkdir(parents=True, exist_ok=True)
    if table in store.manifest["tables"]:
        return
    manifest = store.next_manifest()
    manifest["tables"][table] = {"base_seq": 0, "files": []}
    store.commit(manifest)


def read_cursor(store: SparkStore, gateway: str, account_id: str, entity: str) -> Any:
    """The saved cursor (parsed JSON) of (gateway, account, entity), or None."""
    saved = store.manifest["cursors"].get(_key(gateway, account_id, entity))
    return None if saved is None else saved["cursor"]


def oldest_open_created(
    store: SparkStore,
    gateway: str,
    account_id: str,
    entity: str,
    field: str,
    values: tuple[str, ...],
) -> int | None:
    """tables.oldest_open_with on the committed rows."""

    def query(table: str, account_id: str, field: str, values: list[str]) -> int | None:
        state = store.live_state(table, account_id)
        text = store.payloads(table, {k: r["_seq"] for k, r in state.items()})
        created = [
            state[k]["created"]
            for k, payload in text.items()
            if _text_at(orjson.loads(payload).get(field)) in values
        ]
        return min(created) if created else None

    return oldest_open_with(query, gateway, account_id, entity, field, values)


def _text_at(value: Any) -> str | None:
    """A JSON value as `->>` gives it: strings bare, others as JSON text."""
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def land_into_spark(store: SparkStore, batch: LandingBatch) -> LandingCounts:
    """landing.land_into on the Spark layout: rows, quarantine, listing marks, pruning and
    the cursor in one commit; nothing of a failing batch is ever visible."""
    table = raw_table(batch.gateway, batch.entity)
    key = _key(batch.gateway, batch.account_id, batch.entity)
    for payload in batch.payloads:  # JSON, as DuckDB's cast to json checks it
        orjson.loads(payload)
    manifest = store.next_manifest()
    seq = manifest["seq"]
    now = _now_us()
    state = store.live_state(table, batch.account_id)
    quarantine = dict(manifest["quarantine"].get(key, {}))
    written: dict[tuple, dict] = {}  # key -> the row version this batch writes

    # upsert: newest version wins, rewritten only when the payload changed
    inserted = updated = 0
    for object_id, created, payload, digest, version_at in zip(
        batch.ids, batch.created, batch.payloads, batch.hashes, batch.version_at, strict=True
    ):
        row_key = (batch.account_id, object_id)
        held = state.get(row_key)
        if held is not None and not (
            digest != held["payload_hash"] and version_at >= held["version_at"]
        ):
            continue
        inserted, updated = (inserted + 1, updated) if held is None else (inserted, updated + 1)
        written[row_key] = {
            "account_id": batch.account_id,
            "id": object_id,
            "created": created,
            "payload": payload,
            "payload_hash": digest,
            "version_at": version_at,
            "synced_at": now,
            "listed_at": None if held is None else held["listed_at"],
            "_deleted": False,
        }
    _drop_quarantined(quarantine, batch.ids)  # ids that land clean leave the quarantine
    for object_id, reason, raw_text, raw_hash in batch.quarantined:
        held = quarantine.get(raw_hash)
        quarantine[raw_hash] = {
            "object_id": object_id,
            "reason": reason,
            "raw_text": raw_text,
            "first_seen_at": held["first_seen_at"] if held else now,
            "last_seen_at": now,
        }

    # listing marks on every seen id that has a row, then pruning
    seen = batch.seen_ids()
    if batch.listed_at is not None and seen:
        unread = {}
        for object_id in seen:
            row_key = (batch.account_id, object_id)
            if row_key in written:
                written[row_key]["listed_at"] = batch.listed_at
            elif row_key in state:
                unread[row_key] = state[row_key]["_seq"]
        text = store.payloads(table, unread)
        for row_key in unread:
            written[row_key] = {
                **state[row_key],
                "payload": text[row_key],
                "listed_at": batch.listed_at,
                "_deleted": False,
            }
    removed = 0
    if batch.prune_before is not None:
        current = {**state, **written}
        gone = [
            row_key
            for row_key, row in current.items()
            if (row["listed_at"] if row["listed_at"] is not None else -1) < batch.prune_before
            and row["version_at"] < batch.prune_before
        ]
        for row_key in gone:
            written[row_key] = {"account_id": row_key[0], "id": row_key[1], "_deleted": True}
        _drop_quarantined(quarantine, {row_key[1] for row_key in gone})
        removed = len(gone)

    entry = dict(manifest["tables"].get(table, {"base_seq": 0, "files": []}))
    if written:
        entry["files"] = [*entry["files"], store.write_file(table, list(written.values()), seq)]
    manifest["tables"][table] = entry
    manifest["quarantine"][key] = quarantine
    if batch.cursor is not None:
        manifest["cursors"][key] = {"cursor": batch.cursor, "updated_at": now}
    store.commit(manifest)
    if len(entry["files"]) > MAX_FILES:
        store.compact(table)
    return LandingCounts(
        inserted,
        updated,
        len(batch.ids) - inserted - updated,
        quarantined=len(batch.quarantined),
        removed=removed,
    )


def _drop_quarantined(quarantine: dict[str, dict], object_ids: Iterable[str]) -> None:
    ids = set(object_ids)
    for raw_hash in [h for h, q in quarantine.items() if q["object_id"] in ids]:
        del quarantine[raw_hash]


# --- bookkeeping as tables (tests, the copier) ---
def quarantine_rows(store: SparkStore) -> list[tuple]:
    """(gateway, account_id, entity, object_id, reason, raw_text, raw_hash), by raw_hash."""
    rows = []
    for key, entries in store.manifest["quarantine"].items():
        gateway, account_id, entity = orjson.loads(key)
        for raw_hash, q in entries.items():
            rows.append(
                (gateway, account_id, entity, q["object_id"], q["reason"], q["raw_text"], raw_hash)
            )
    return sorted(rows, key=lambda r: r[6])


def cursor_rows(store: SparkStore) -> list[tuple]:
    """(gateway, account_id, entity, cursor), ordered."""
    return sorted(
        (*orjson.loads(key), saved["cursor"]) for key, saved in store.manifest["cursors"].items()
    )


def copy_from_duckdb(duckdb_path: Path, directory: Path) -> dict[str, int]:
    """A DuckDB warehouse's raw tables, cursors and quarantine into the Spark layout under
    `directory`, each raw table replaced in one commit: {table: rows}."""
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    copied: dict[str, int] = {}
    try:
        tables = con.sql(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_catalog = current_database() and table_type = 'BASE TABLE'"
            " and table_schema like 'raw\\_%' escape '\\' order by 1"
        ).fetchall()
        with open_store(directory) as store:
            for (table,) in tables:
                schema_name, name = table.split(".", 1)
                present = {
                    r[0]
                    for r in con.sql(
                        "select column_name from information_schema.columns where"
                        f" table_schema = '{schema_name}' and table_name = '{name}'"
                    ).fetchall()
                }
                # a column an older layout lacks (listed_at) is NULL
                cols = ", ".join(
                    (f"{c}::varchar" if c == "payload" else c) if c in present else "null"
                    for c in RAW_COLUMNS
                )
                data = con.sql(f"select {cols} from {table} order by account_id, id").arrow()
                data = data.read_all() if hasattr(data, "read_all") else data
                data = data.rename_columns(list(RAW_COLUMNS))
                store.replace_table(table, data.cast(SCHEMA.remove(9).remove(8)))
                copied[table] = data.num_rows
            _copy_bookkeeping(con, store)
    finally:
        con.close()
    return copied


def _copy_bookkeeping(con: Any, store: SparkStore) -> None:
    manifest = store.next_manifest()
    manifest["cursors"], manifest["quarantine"] = {}, {}
    names = {
        r[0]
        for r in con.sql(
            "select table_name from information_schema.tables where table_schema = 'ledgerdesk'"
        ).fetchall()
    }
    if "cursors" in names:
        for gateway, account_id, entity, cursor, updated in con.sql(
            "select gateway, account_id, entity, cursor::varchar,"
            " epoch_us(updated_at) from ledgerdesk.cursors"
        ).fetchall():
            manifest["cursors"][_key(gateway, account_id, entity)] = {
                "cursor": None if cursor is None else orjson.loads(cursor),
                "updated_at": updated,
            }
    if "quarantine" in names:
        for row in con.sql(
            "select gateway, account_id, entity, object_id, reason, raw_text, raw_hash,"
            " epoch_us(first_seen_at), epoch_us(last_seen_at) from ledgerdesk.quarantine"
        ).fetchall():
            gateway, account_id, entity, object_id, reason, raw_text, raw_hash, first, last = row
            manifest["quarantine"].setdefault(_key(gateway, account_id, entity), {})[raw_hash] = {
                "object_id": object_id,
                "reason": reason,
                "raw_text": raw_text,
                "first_seen_at": first,
                "last_seen_at": last,
            }
    store.commit(manifest)


def _open(target: Any) -> SparkStore:
    return open_store(spark_dir(target.path))


def _engine() -> Any:
    """ENGINE for the writer interface (pipelines/extract/engines/__init__.py), when it is
    there: the store is held (its lock) while the writer's connection is open."""
    try:
        from pipelines.extract.engines import Engine
    except ImportError:  # a checkout before the writer interface
        return None
    return Engine(
        name="spark",
        open=_open,
        land=land_into_spark,
        read_cursor=read_cursor,
        prepare_tables=prepare_tables,
        oldest_open_created=oldest_open_created,
        file_lock=True,
        may_hold_data=lambda target: (spark_dir(target.path) / "raw" / MANIFEST).exists(),
    )


ENGINE = _engine()
