"""The transform's no-change rule (DECISIONLOG.md, 2026-12-02, room incr; 2026-12-03, room
review): `dbt build` is skipped when no raw row changed since the last successful build, the
project is the same, every mart the manifest lists is built, and that build is the one served.

The watermark of a warehouse is, per raw table (`raw_<gateway>.<entity>`), its generation
(`ledgerdesk.raw_generations`: a counter every landing transaction that inserts, rewrites or
prunes rows moves by one, in that transaction: pipelines/extract/statements.bump_generation;
a counter never goes back, as a clock can), and, for writers other than the landing (a hand
edit, a test), its row count and newest `synced_at`; plus the marts built. On PostgreSQL it is
read in one REPEATABLE READ transaction, so every table is read at one moment while landings
commit. The build also depends on the dbt project (models, macros, seeds, vars), the tools'
versions and the target: its key is dbt_parse_state.project_key.

The watermark is read before the build starts and recorded, with the build's id, only after a
build that succeeded, so rows landed while dbt ran are seen by the next run, and a failed build
is never taken for a done one (the record is removed as a build starts). Publishing stamps
what it serves with the recorded build's id (the DuckDB snapshot, PostgreSQL's `serving`): a
build whose publishing failed is not the one served, so the next run builds and publishes
again. Recorded as JSON beside the DuckDB warehouse file, or in the PostgreSQL warehouse
itself (`ledgerdesk.raw_watermark`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

_TABLES = """
    select table_schema, table_name from information_schema.tables
    where table_schema like 'raw\\_%' escape '\\' or table_schema = 'marts'
        or (table_schema = 'ledgerdesk' and table_name = 'raw_generations')
    order by table_schema, table_name
"""


def _read(execute) -> dict:
    """`execute(sql) -> rows` on any engine, inside one read transaction; the watermark as
    JSON-ready values: per raw table [rows, newest synced_at, generation]."""
    raw: dict[str, list] = {}
    marts: list[str] = []
    tables = execute(_TABLES)
    generations: dict[str, int] = {}
    if ("ledgerdesk", "raw_generations") in {tuple(row) for row in tables}:
        generations = dict(execute("select raw_table, generation from ledgerdesk.raw_generations"))
    for schema, name in tables:
        if schema == "marts":
            marts.append(name)
            continue
        if schema == "ledgerdesk":
            continue
        count, newest = execute(
            f'select count(*), cast(max(synced_at) as varchar) from "{schema}"."{name}"'
        )[0]
        generation = generations.get(f"{schema}.{name}", 0)
        raw[f"{schema}.{name}"] = [count, newest, generation]
    return {"raw": raw, "marts": marts}


def read_duckdb(path: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("begin transaction")
        return _read(lambda sql: con.sql(sql).fetchall())
    finally:
        con.close()


def read_postgres(dbname: str | None = None, dsn: str | None = None) -> dict:
    """On PostgreSQL, landings commit while this reads: one REPEATABLE READ transaction
    reads every table at one moment."""
    import psycopg

    from pipelines.extract.engines import postgres

    params = {"dbname": dbname} if dbname else {}
    with psycopg.connect(dsn or postgres.pg_dsn(), **params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            return _read(lambda sql: conn.execute(sql).fetchall())


def state_path(warehouse: Path, engine: str) -> Path:
    return warehouse.with_name(f"{warehouse.name}.{engine}.raw_watermark.json")


class PostgresState:
    """The record kept in the PostgreSQL warehouse itself (`ledgerdesk.raw_watermark`, one
    row), so every machine that runs the transform sees the same one."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.dsn) as conn:
            conn.execute(
                "create schema if not exists ledgerdesk;"
                " create table if not exists ledgerdesk.raw_watermark"
                " (id integer primary key, state text not null)"
            )
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def load(self) -> str | None:
        rows = self._run("select state from ledgerdesk.raw_watermark where id = 1")
        return rows[0][0] if rows else None

    def save(self, text: str) -> None:
        self._run(
            "insert into ledgerdesk.raw_watermark values (1, %s)"
            " on conflict (id) do update set state = excluded.state",
            (text,),
        )

    def clear(self) -> None:
        self._run("delete from ledgerdesk.raw_watermark")


State = Path | PostgresState


def unchanged(
    state: State, watermark: dict, key: str, served: str | None, marts: list[str]
) -> bool:
    """True when the last successful build saw this very watermark and project (`key`:
    dbt_parse_state.project_key, taken before the build, as the watermark is), every mart
    the manifest lists (`marts`: manifest_marts) is built, and what is served is that build
    (`served`: the build id the DuckDB snapshot or PostgreSQL's serving schema was stamped
    with: pipelines/lib/publish.py, publish_postgres.py)."""
    if not watermark["raw"] or not marts or not set(marts) <= set(watermark["marts"]):
        return False
    recorded = _load(state)
    if served is None or recorded.get("build") != served:
        return False  # the last successful build was never published: build and publish
    return recorded.get("project") == key and recorded.get("raw") == watermark["raw"]


def manifest_marts(manifest: dict) -> list[str]:
    """The relations of every model dbt builds in the marts schema."""
    return sorted(
        node.get("alias") or node["name"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model" and node.get("schema") == "marts"
    )


def recorded_build(state: State) -> str | None:
    """The id of the last successful build (None: none recorded, or a build failed or is
    running since: publishing then refuses, pipelines/defs/publish.py)."""
    return _load(state).get("build")


def _load(state: State) -> dict:
    try:
        text = state.load() if isinstance(state, PostgresState) else state.read_text()
        recorded = json.loads(text) if text else None
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def full_refresh_needed(state: State, key: str) -> bool:
    """True unless the last build, and it succeeded, was of this very project (`key`): rows
    an older project computed (its code, seeds or vars), or a build that failed or was forced
    (LEDGERDESK_ALWAYS_BUILD: raw rows a writer changed without moving synced_at), are built
    again from raw with `dbt build --full-refresh` (DECISIONLOG.md, 2026-12-03, room incr)."""
    recorded = _load(state)
    return not recorded or recorded.get("project") != key


def record(state: State, watermark: dict | None, key: str, build: str) -> None:
    """After a successful build (`build`, its id): the watermark read before it (None: a
    forced build, which the next run never takes for unchanged), atomically replaced."""
    raw = watermark["raw"] if watermark is not None else None
    text = json.dumps({"project": key, "raw": raw, "build": build}, sort_keys=True)
    if isinstance(state, PostgresState):
        state.save(text)
        return
    partial = state.with_name(f"{state.name}.{os.getpid()}.tmp")
    partial.write_text(text)
    partial.replace(state)


def forget(state: State) -> None:
    """The next run builds whatever the raw data (a failed or a forced build)."""
    if isinstance(state, PostgresState):
        state.clear()
    else:
        state.unlink(missing_ok=True)
