"""DDL of the raw tables and the bookkeeping tables (docs/internals.md, "Warehouse layout"):
one layout for every engine, only the JSON column's type named per engine (DuckDB's `json`,
PostgreSQL's `jsonb`, pipelines/extract/engines/postgres.py)."""

from __future__ import annotations

import duckdb


def bookkeeping_ddl(json_type: str = "json") -> str:
    return (
        f"""
create schema if not exists ledgerdesk;
create table if not exists ledgerdesk.cursors (
    gateway varchar not null,
    account_id varchar not null,
    entity varchar not null,
    cursor {json_type},
    updated_at timestamptz not null,
    primary key (gateway, account_id, entity)
);
create table if not exists ledgerdesk.quarantine (
    gateway varchar not null,
    account_id varchar not null,
    entity varchar not null,
    object_id varchar,
    reason varchar not null,
    raw_text varchar not null,
    raw_hash varchar not null,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    primary key (gateway, account_id, entity, raw_hash)
);
"""
        + GENERATIONS_DDL
        + STAMPS_DDL
    )


# Each raw table's generation: moved by every landing transaction that changes its rows
# (statements.bump_generation), never backwards; the transform's raw watermark reads it.
GENERATIONS_DDL = """
create schema if not exists ledgerdesk;
create table if not exists ledgerdesk.raw_generations (
    raw_table varchar primary key,
    generation bigint not null
);
"""


# Each raw table's newest landing stamp (statements.landing_stamp): a landing stamps its rows
# no earlier than the newest stamp of any table, so `synced_at` never goes back in a warehouse,
# even after a clock that ran ahead is corrected (DECISIONLOG.md, 2026-12-03, "synced_at
# never goes back").
STAMPS_DDL = """
create schema if not exists ledgerdesk;
create table if not exists ledgerdesk.raw_stamps (
    raw_table varchar primary key,
    stamped_at timestamptz not null
);
"""


BOOKKEEPING_DDL = bookkeeping_ddl()


def ensure_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(BOOKKEEPING_DDL)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """`table` is `raw_<gateway>.<entity>`, already checked by landing.raw_table."""
    con.execute(raw_table_ddl(table))


def raw_table_ddl(table: str, json_type: str = "json") -> str:
    schema = table.split(".", 1)[0]
    return f"""create schema if not exists {schema};
        create table if not exists {table} (
            account_id varchar not null,
            id varchar not null,
            created bigint not null,
            payload {json_type} not null,
            payload_hash varchar not null,
            version_at bigint not null,
            synced_at timestamptz not null,
            listed_at bigint,
            primary key (account_id, id)
        );
        alter table {table} add column if not exists listed_at bigint;"""
