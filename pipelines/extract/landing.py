"""Land batches of raw objects in the warehouse: one Arrow insert and one transaction per batch.

Each batch upserts its rows (newest version wins; a row is rewritten only when its payload
changed and the incoming version is not older), records quarantined objects, clears the
quarantine of ids that now land clean, and saves the cursor, all in one transaction: a crash
loses nothing and duplicates nothing. Every read and write of this process goes through the
file's one writer (writer.py), which keeps a connection while work comes and holds the file
lock (`<warehouse>.lock`) meanwhile, so extraction processes fetch in parallel and take turns
writing (DuckDB allows one writing process per file). `land_into` is the job; `land_batch`
the same, waited for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa

from pipelines.extract.batch import LandingBatch
from pipelines.extract.schema import ensure_bookkeeping, ensure_raw_table
from pipelines.extract.tables import (
    landing_writer,
    oldest_open_created,
    prepare_tables,
    raw_table,
    read_cursor,
    warehouse_connection,
)

# Callers name these through landing, where batches go.
__all__ = [
    "LandingCounts",
    "land_batch",
    "land_into",
    "landing_writer",
    "oldest_open_created",
    "prepare_tables",
    "raw_table",
    "read_cursor",
    "warehouse_connection",
]


@dataclass(frozen=True)
class LandingCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    removed: int = 0  # rows a completed full listing no longer saw

    def __add__(self, other: LandingCounts) -> LandingCounts:
        return LandingCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.quarantined + other.quarantined,
            self.removed + other.removed,
        )


def land_batch(warehouse_path: Path, batch: LandingBatch) -> LandingCounts:
    """Write one batch (rows, quarantine, cursor) in one transaction; counts of what changed."""
    with landing_writer(warehouse_path) as writer:
        return writer.call(lambda con: land_into(con, batch))


def land_into(con: duckdb.DuckDBPyConnection, batch: LandingBatch) -> LandingCounts:
    """`land_batch` on the writer's connection: the job a fetch thread submits."""
    table = raw_table(batch.gateway, batch.entity)
    key = [batch.gateway, batch.account_id, batch.entity]
    ensure_bookkeeping(con)
    ensure_raw_table(con, table)
    con.begin()
    try:
        counts = _upsert_rows(con, table, batch)
        _quarantine(con, key, batch)
        removed = _mark_listed_and_prune(con, table, batch)
        if batch.cursor is not None:
            con.execute(
                "insert into ledgerdesk.cursors values (?, ?, ?, ?::json, current_timestamp)"
                " on conflict (gateway, account_id, entity) do update"
                " set cursor = excluded.cursor, updated_at = excluded.updated_at",
                [*key, orjson.dumps(batch.cursor).decode()],
            )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return LandingCounts(*counts, quarantined=len(batch.quarantined), removed=removed)


def _upsert_rows(con: duckdb.DuckDBPyConnection, table: str, batch: LandingBatch) -> tuple:
    if not batch.ids:
        return 0, 0, 0
    incoming = pa.table(
        {
            "account_id": pa.array([batch.account_id] * len(batch.ids), pa.string()),
            "id": pa.array(batch.ids, pa.string()),
            "created": pa.array(batch.created, pa.int64()),
            "payload": pa.array(batch.payloads, pa.string()),
            "payload_hash": pa.array(batch.hashes, pa.string()),
            "version_at": pa.array(batch.version_at, pa.int64()),
        }
    )
    con.register("incoming", incoming)
    try:
        inserted, updated = con.execute(
            f"""select count(*) filter (where t.id is null),
                       count(*) filter (where t.id is not null
                           and t.payload_hash <> i.payload_hash and i.version_at >= t.version_at)
                from incoming i
                left join {table} t on t.account_id = i.account_id and t.id = i.id"""
        ).fetchone()
        con.execute(
            f"""insert into {table}
                    (account_id, id, created, payload, payload_hash, version_at, synced_at)
                select account_id, id, created, payload::json, payload_hash, version_at,
                       current_timestamp
                from incoming
                on conflict (account_id, id) do update set
                    created = excluded.created, payload = excluded.payload,
                    payload_hash = excluded.payload_hash, version_at = excluded.version_at,
                    synced_at = excluded.synced_at
                where excluded.payload_hash <> {table}.payload_hash
                    and excluded.version_at >= {table}.version_at"""
        )
        con.execute(
            "delete from ledgerdesk.quarantine where gateway = ? and account_id = ?"
            " and entity = ? and object_id in (select id from incoming)",
            [batch.gateway, batch.account_id, batch.entity],
        )
    finally:
        con.unregister("incoming")
    return inserted, updated, len(batch.ids) - inserted - updated


def _mark_listed_and_prune(con: duckdb.DuckDBPyConnection, table: str, batch: LandingBatch) -> int:
    """Mark the ids a full listing saw; at its end remove the rows it did not see (deleted
    on the gateway, or tombstones of them), except rows landed since the listing began."""
    seen = batch.seen_ids()
    if batch.listed_at is not None and seen:
        con.register("seen", pa.table({"id": pa.array(seen, pa.string())}))
        try:
            con.execute(
                f"update {table} set listed_at = ? where account_id = ?"
                " and id in (select id from seen)",
                [batch.listed_at, batch.account_id],
            )
        finally:
            con.unregister("seen")
    if batch.prune_before is None:
        return 0
    removed = con.execute(
        f"delete from {table} where account_id = ? and coalesce(listed_at, -1) < ?"
        " and version_at < ? returning id",
        [batch.account_id, batch.prune_before, batch.prune_before],
    ).fetchall()
    con.execute(
        "delete from ledgerdesk.quarantine where gateway = ? and account_id = ? and entity = ?"
        " and object_id in (select unnest(?::varchar[]))",
        [batch.gateway, batch.account_id, batch.entity, [r[0] for r in removed]],
    )
    return len(removed)


def _quarantine(con: duckdb.DuckDBPyConnection, key: list[str], batch: LandingBatch) -> None:
    for object_id, reason, raw_text, raw_hash in batch.quarantined:
        con.execute(
            "insert into ledgerdesk.quarantine values"
            " (?, ?, ?, ?, ?, ?, ?, current_timestamp, current_timestamp)"
            " on conflict (gateway, account_id, entity, raw_hash) do update"
            " set reason = excluded.reason, last_seen_at = excluded.last_seen_at",
            [*key, object_id, reason, raw_text, raw_hash],
        )
