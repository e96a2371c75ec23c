"""The transform's no-change rule (DECISIONLOG.md, 2026-12-02, room incr): `dbt build` is
skipped when no raw row changed since the last successful build and the project is the same.

The watermark of a warehouse is, per raw table (`raw_<gateway>.<entity>`), its row count and
its newest `synced_at` (landing sets it on every insert and on every update that changes a
row: pipelines/extract/landing.py; an unchanged re-landed object keeps it), and whether any mart
is built (a warehouse whose marts were dropped is rebuilt). A row landed or changed moves
the newest `synced_at`; a row pruned lowers the count. The build also depends on the dbt
project (models, macros, seeds such as person_overrides, vars): its key is
dbt_parse_state.project_key, every project file's bytes. Writers of raw rows other than the
landing (a hand edit, a test) must move `synced_at` too, or run with LEDGERDESK_ALWAYS_BUILD=1.

The watermark is read before the build starts and recorded only after a build that
succeeded, so rows landed while dbt ran are seen by the next run, and a failed build is
never taken for a done one. Recorded as JSON beside the DuckDB warehouse file, or in the
PostgreSQL warehouse itself (`ledgerdesk.raw_watermark`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

_TABLES = """
    select table_schema, table_name from information_schema.tables
    where table_schema like 'raw\\_%' escape '\\' or table_schema = 'marts'
    order by table_schema, table_name
"""


def _read(execute) -> dict:
    """`execute(sql) -> rows` on any engine; the watermark as JSON-ready values."""
    raw: dict[str, list] = {}
    marts: list[str] = []
    for schema, name in execute(_TABLES):
        if schema == "marts":
            marts.append(name)
            continue
        count, newest = execute(
            f'select count(*), cast(max(synced_at) as varchar) from "{schema}"."{name}"'
        )[0]
        raw[f"{schema}.{name}"] = [count, newest]
    return {"raw": raw, "marts": marts}


def read_duckdb(path: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return _read(lambda sql: con.sql(sql).fetchall())
    finally:
        con.close()


def read_postgres(dbname: str | None = None, dsn: str | None = None) -> dict:
    import psycopg

    from pipelines.extract.engines import postgres

    params = {"dbname": dbname} if dbname else {}
    with psycopg.connect(dsn or postgres.pg_dsn(), **params) as conn:
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


def _recorded(state: State) -> dict | None:
    try:
        text = state.load() if isinstance(state, PostgresState) else state.read_text()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


def unchanged(state: State, watermark: dict, key: str) -> bool:
    """True when the last successful build saw this very watermark and project (`key`:
    dbt_parse_state.project_key, taken before the build, as the watermark is)."""
    if not watermark["raw"] or not watermark["marts"]:
        return False
    return _recorded(state) == {"project": key, "raw": watermark["raw"]}


def full_refresh_needed(state: State, key: str) -> bool:
    """True unless the last build, and it succeeded, was of this very project (`key`): rows
    an older project computed (its code, seeds or vars), or a build that failed or was forced
    (LEDGERDESK_ALWAYS_BUILD: raw rows a writer changed without moving synced_at), are built
    again from raw with `dbt build --full-refresh` (DECISIONLOG.md, 2026-12-03, room incr)."""
    recorded = _recorded(state)
    return recorded is None or recorded.get("project") != key


def record(state: State, watermark: dict, key: str) -> None:
    """After a successful build: the watermark read before it, atomically replaced."""
    text = json.dumps({"project": key, "raw": watermark["raw"]}, sort_keys=True)
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
