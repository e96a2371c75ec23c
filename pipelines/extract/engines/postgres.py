"""PostgreSQL raw layout and landing: the same tables, keys and statements as DuckDB's
(schema.py, statements.py, landing.land_into), with payloads as jsonb and rows loaded by COPY.

One transaction per batch: COPY the rows into a temp table, count, upsert (newest version
wins, rewritten only when the payload changed and the version is not older), quarantine,
clear the quarantine of ids that land clean, mark listed ids, prune, save the cursor.
Many processes may land at once (no file lock): tables are created under an advisory lock,
since two sessions' `create table if not exists` can collide in PostgreSQL's catalog.
"""

from __future__ import annotations

import os
from typing import Any

import orjson
import psycopg

from ledgerdesk.pg_settings import postgres_from_env, safe_dsn  # noqa: F401 (callers use postgres.safe_dsn)
from pipelines.extract import statements as sql
from pipelines.extract.batch import LandingBatch
from pipelines.extract.engines import Engine, Target
from pipelines.extract.landing import LandingCounts
from pipelines.extract.schema import GENERATIONS_DDL, STAMPS_DDL, bookkeeping_ddl
from pipelines.extract.schema import raw_table_ddl as schema_ddl
from pipelines.extract.statements import POSTGRES
from pipelines.extract.tables import oldest_open_with, raw_table

BOOKKEEPING_DDL = bookkeeping_ddl("jsonb")

RAW_COLUMNS = (
    "account_id",
    "id",
    "created",
    "payload",
    "payload_hash",
    "version_at",
    "synced_at",
    "listed_at",
)


def pg_dsn() -> str:
    """The connection the environment names (LEDGERDESK_PG_DSN or LEDGERDESK_PG_*, read the
    way the settings read them: ledgerdesk/pg_settings.py), password included."""
    return postgres_from_env(os.environ).dsn()


def connect(dsn: str | None = None) -> psycopg.Connection:
    return psycopg.connect(dsn or pg_dsn(), autocommit=False)


def raw_table_ddl(table: str) -> str:
    return schema_ddl(table, "jsonb")


DDL_LOCK = 0x1ED6E5D  # pg_advisory_xact_lock key: one session at a time creates tables


def _ensure(conn: psycopg.Connection, relation: str, ddl: str) -> None:
    """Run `ddl` unless `relation` exists (a check, not DDL, on every batch: the DDL's
    `alter table` would lock the table against dbt's reads)."""
    if conn.execute("select to_regclass(%s)", [relation]).fetchone()[0] is not None:
        return
    conn.execute("select pg_advisory_xact_lock(%s)", [DDL_LOCK])
    conn.execute(ddl)


def ensure_bookkeeping(conn: psycopg.Connection) -> None:
    _ensure(conn, "ledgerdesk.quarantine", BOOKKEEPING_DDL)
    _ensure(conn, "ledgerdesk.raw_generations", GENERATIONS_DDL)  # added 2026-12-03
    _ensure(conn, "ledgerdesk.raw_stamps", STAMPS_DDL)  # added 2026-12-03, later


def ensure_raw_table(conn: psycopg.Connection, table: str) -> None:
    _ensure(conn, table, raw_table_ddl(table))


def prepare_tables(conn: psycopg.Connection, gateway: str, entity: str) -> None:
    """Bookkeeping and the (empty) raw table, committed, before any read."""
    with conn.transaction():
        ensure_bookkeeping(conn)
        ensure_raw_table(conn, raw_table(gateway, entity))


def read_cursor(conn: psycopg.Connection, gateway: str, account_id: str, entity: str) -> Any:
    """The saved cursor (parsed JSON) of (gateway, account, entity), or None."""
    with conn.transaction():
        ensure_bookkeeping(conn)
        row = conn.execute(sql.read_cursor(POSTGRES), [gateway, account_id, entity]).fetchone()
    return orjson.loads(row[0]) if row and row[0] is not None else None


def oldest_open_created(
    conn: psycopg.Connection,
    gateway: str,
    account_id: str,
    entity: str,
    field: str,
    values: tuple[str, ...],
) -> int | None:
    """tables.oldest_open_with on PostgreSQL."""

    def query(table: str, account_id: str, field: str, values: list[str]) -> int | None:
        with conn.transaction():
            ensure_raw_table(conn, table)
            params = [account_id, field, values]
            return conn.execute(sql.oldest_open(table, POSTGRES), params).fetchone()[0]

    return oldest_open_with(query, gateway, account_id, entity, field, values)


def land_into_postgres(conn: psycopg.Connection, batch: LandingBatch) -> LandingCounts:
    """landing.land_into on PostgreSQL: rows, quarantine, listing marks, pruning and the
    cursor in one transaction; nothing of a failing batch stays."""
    table = raw_table(batch.gateway, batch.entity)
    key = [batch.gateway, batch.account_id, batch.entity]
    with conn.transaction():
        ensure_bookkeeping(conn)
        ensure_raw_table(conn, table)
        counts = _upsert_rows(conn, table, batch)
        _quarantine(conn, key, batch)
        removed = _mark_listed_and_prune(conn, table, batch)
        if batch.cursor is not None:
            conn.execute(sql.save_cursor(POSTGRES), [*key, orjson.dumps(batch.cursor).decode()])
        if counts[0] + counts[1] + removed:  # last: the generation's row lock is held briefly
            conn.execute(sql.bump_generation(POSTGRES), [table])
            conn.execute(sql.keep_stamp(POSTGRES), [table])
    return LandingCounts(*counts, quarantined=len(batch.quarantined), removed=removed)


def _copy_ids(conn: psycopg.Connection, name: str, ids: list[str]) -> None:
    conn.execute(f"create temp table {name} (id varchar) on commit drop")
    with conn.cursor().copy(f"copy {name} (id) from stdin") as copy:
        for object_id in ids:
            copy.write_row((object_id,))


def _upsert_rows(conn: psycopg.Connection, table: str, batch: LandingBatch) -> tuple:
    if not batch.ids:
        return 0, 0, 0
    conn.execute(
        "create temp table incoming (account_id varchar, id varchar, created bigint,"
        " payload text, payload_hash varchar, version_at bigint) on commit drop"
    )
    with conn.cursor().copy(
        "copy incoming (account_id, id, created, payload, payload_hash, version_at) from stdin"
    ) as copy:
        for row in zip(
            batch.ids, batch.created, batch.payloads, batch.hashes, batch.version_at, strict=True
        ):
            copy.write_row((batch.account_id, *row))
    inserted, updated = conn.execute(sql.count_changes(table)).fetchone()
    conn.execute(sql.upsert(table, POSTGRES))
    conn.execute(
        sql.clear_quarantine_of_incoming(POSTGRES),
        [batch.gateway, batch.account_id, batch.entity],
    )
    conn.execute("drop table incoming")
    return inserted, updated, len(batch.ids) - inserted - updated


def _mark_listed_and_prune(conn: psycopg.Connection, table: str, batch: LandingBatch) -> int:
    seen = batch.seen_ids()
    if batch.listed_at is not None and seen:
        _copy_ids(conn, "seen", seen)
        conn.execute(sql.mark_listed(table, POSTGRES), [batch.listed_at, batch.account_id])
        conn.execute("drop table seen")
    if batch.prune_before is None:
        return 0
    removed = conn.execute(
        sql.prune(table, POSTGRES), [batch.account_id, batch.prune_before, batch.prune_before]
    ).fetchall()
    conn.execute(
        sql.clear_quarantine_of_ids(POSTGRES),
        [batch.gateway, batch.account_id, batch.entity, [r[0] for r in removed]],
    )
    return len(removed)


def _quarantine(conn: psycopg.Connection, key: list[str], batch: LandingBatch) -> None:
    if not batch.quarantined:
        return
    conn.cursor().executemany(sql.quarantine(POSTGRES), [[*key, *q] for q in batch.quarantined])


def _open(target: Target) -> psycopg.Connection:
    # autocommit: each job's `conn.transaction()` is its whole transaction, and the kept
    # connection never sits idle inside one
    return psycopg.connect(target.dsn or pg_dsn(), autocommit=True)


ENGINE = Engine(
    name="postgres",
    open=_open,
    land=land_into_postgres,
    read_cursor=read_cursor,
    prepare_tables=prepare_tables,
    oldest_open_created=oldest_open_created,
)
