"""PostgreSQL raw layout and landing: the same tables, keys and semantics as DuckDB's
(schema.py, landing.land_into), with payloads as jsonb and rows loaded by COPY.

One transaction per batch: COPY the rows into a temp table, count, upsert (newest version
wins, rewritten only when the payload changed and the version is not older), quarantine,
clear the quarantine of ids that land clean, mark listed ids, prune, save the cursor.
"""

from __future__ import annotations

import os
import re
from typing import Any

import orjson
import psycopg

from ledgerdesk.pg_settings import postgres_from_env
from pipelines.extract.batch import LandingBatch
from pipelines.extract.landing import LandingCounts
from pipelines.extract.schema import bookkeeping_ddl
from pipelines.extract.schema import raw_table_ddl as schema_ddl
from pipelines.extract.tables import raw_table

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


def safe_dsn(dsn: str) -> str:
    """The DSN for messages: its password hidden."""
    dsn = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", dsn)
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", dsn)


def connect(dsn: str | None = None) -> psycopg.Connection:
    return psycopg.connect(dsn or pg_dsn(), autocommit=False)


def raw_table_ddl(table: str) -> str:
    return schema_ddl(table, "jsonb")


def ensure_bookkeeping(conn: psycopg.Connection) -> None:
    conn.execute(BOOKKEEPING_DDL)


def ensure_raw_table(conn: psycopg.Connection, table: str) -> None:
    conn.execute(raw_table_ddl(table))


def prepare_tables(conn: psycopg.Connection, gateway: str, entity: str) -> None:
    """Bookkeeping and the (empty) raw table, committed, before any read."""
    with conn.transaction():
        ensure_bookkeeping(conn)
        ensure_raw_table(conn, raw_table(gateway, entity))


def read_cursor(conn: psycopg.Connection, gateway: str, account_id: str, entity: str) -> Any:
    """The saved cursor (parsed JSON) of (gateway, account, entity), or None."""
    with conn.transaction():
        ensure_bookkeeping(conn)
        row = conn.execute(
            "select cursor::text from ledgerdesk.cursors"
            " where gateway = %s and account_id = %s and entity = %s",
            [gateway, account_id, entity],
        ).fetchone()
    return orjson.loads(row[0]) if row and row[0] is not None else None


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
            conn.execute(
                "insert into ledgerdesk.cursors values (%s, %s, %s, %s::jsonb, now())"
                " on conflict (gateway, account_id, entity) do update"
                " set cursor = excluded.cursor, updated_at = excluded.updated_at",
                [*key, orjson.dumps(batch.cursor).decode()],
            )
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
    inserted, updated = conn.execute(
        f"""select count(*) filter (where t.id is null),
                   count(*) filter (where t.id is not null
                       and t.payload_hash <> i.payload_hash and i.version_at >= t.version_at)
            from incoming i
            left join {table} t on t.account_id = i.account_id and t.id = i.id"""
    ).fetchone()
    conn.execute(
        f"""insert into {table} as t
                (account_id, id, created, payload, payload_hash, version_at, synced_at)
            select account_id, id, created, payload::jsonb, payload_hash, version_at, now()
            from incoming
            on conflict (account_id, id) do update set
                created = excluded.created, payload = excluded.payload,
                payload_hash = excluded.payload_hash, version_at = excluded.version_at,
                synced_at = excluded.synced_at
            where excluded.payload_hash <> t.payload_hash
                and excluded.version_at >= t.version_at"""
    )
    conn.execute(
        "delete from ledgerdesk.quarantine where gateway = %s and account_id = %s"
        " and entity = %s and object_id in (select id from incoming)",
        [batch.gateway, batch.account_id, batch.entity],
    )
    conn.execute("drop table incoming")
    return inserted, updated, len(batch.ids) - inserted - updated


def _mark_listed_and_prune(conn: psycopg.Connection, table: str, batch: LandingBatch) -> int:
    seen = batch.seen_ids()
    if batch.listed_at is not None and seen:
        _copy_ids(conn, "seen", seen)
        conn.execute(
            f"update {table} set listed_at = %s where account_id = %s"
            " and id in (select id from seen)",
            [batch.listed_at, batch.account_id],
        )
        conn.execute("drop table seen")
    if batch.prune_before is None:
        return 0
    removed = conn.execute(
        f"delete from {table} where account_id = %s and coalesce(listed_at, -1) < %s"
        " and version_at < %s returning id",
        [batch.account_id, batch.prune_before, batch.prune_before],
    ).fetchall()
    conn.execute(
        "delete from ledgerdesk.quarantine where gateway = %s and account_id = %s"
        " and entity = %s and object_id = any(%s)",
        [batch.gateway, batch.account_id, batch.entity, [r[0] for r in removed]],
    )
    return len(removed)


def _quarantine(conn: psycopg.Connection, key: list[str], batch: LandingBatch) -> None:
    if not batch.quarantined:
        return
    conn.cursor().executemany(
        "insert into ledgerdesk.quarantine values (%s, %s, %s, %s, %s, %s, %s, now(), now())"
        " on conflict (gateway, account_id, entity, raw_hash) do update"
        " set reason = excluded.reason, last_seen_at = excluded.last_seen_at",
        [[*key, *q] for q in batch.quarantined],
    )
