"""PostgreSQL for the dbt tests (issue 16): a fresh database per test run, and the raw tables
of a DuckDB test warehouse copied into it with COPY (payload as jsonb), so that dbt builds
the same raw data on both engines. Interim: ledgerdesk/raw_copy.py (room pglanding) does the
same for real warehouses; the lead unifies the two."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

RAW_SCHEMAS = ("raw_stripe", "raw_braintree", "raw_paypal")
PG_SETTINGS = {
    "host": os.environ.get("LEDGERDESK_PG_HOST", "127.0.0.1"),
    "port": int(os.environ.get("LEDGERDESK_PG_PORT", "5432")),
    "user": os.environ.get("LEDGERDESK_PG_USER", "postgres"),
    "dbname": os.environ.get("LEDGERDESK_PG_DBNAME", "test"),
}
PG_TYPES = {"JSON": "jsonb", "VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer",
            "BOOLEAN": "boolean", "TIMESTAMP WITH TIME ZONE": "timestamptz",
            "TIMESTAMP": "timestamp", "DOUBLE": "double precision", "DATE": "date"}  # fmt: skip


def unreachable_reason() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    try:
        import psycopg
    except ImportError as error:
        return f"psycopg is not installed: {error}"
    try:
        psycopg.connect(**PG_SETTINGS, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        return f"PostgreSQL at {PG_SETTINGS['host']}:{PG_SETTINGS['port']} unreachable: {error}"
    return None


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new database ledgerdesk_test_<uuid>, dropped afterwards (xdist workers never meet)."""
    import psycopg

    name = f"ledgerdesk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**PG_SETTINGS, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**PG_SETTINGS, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


def copy_raw(warehouse: Path, dbname: str) -> dict[str, int]:
    """Copy every raw_* table of the DuckDB file into `dbname`, same schema, table and column
    names; returns the row count per table (checked against DuckDB's)."""
    import psycopg

    counts: dict[str, int] = {}
    source = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = source.sql(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {RAW_SCHEMAS!r} order by all"
        ).fetchall()
        with psycopg.connect(**{**PG_SETTINGS, "dbname": dbname}) as target:
            for schema, table in tables:
                columns = source.sql(
                    "select column_name, data_type from information_schema.columns "
                    f"where table_schema = '{schema}' and table_name = '{table}' "
                    "order by ordinal_position"
                ).fetchall()
                names = ", ".join(f'"{name}"' for name, _ in columns)
                ddl = ", ".join(f'"{name}" {PG_TYPES[kind]}' for name, kind in columns)
                target.execute(f'create schema if not exists "{schema}"')
                target.execute(f'create table "{schema}"."{table}" ({ddl})')
                rows = source.sql(
                    f"select {', '.join(_as_text(n, k) for n, k in columns)} "
                    f'from "{schema}"."{table}"'
                ).fetchall()
                with target.cursor().copy(
                    f'copy "{schema}"."{table}" ({names}) from stdin'
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
                found = target.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
                assert found is not None and found[0] == len(rows), (schema, table)
                counts[f"{schema}.{table}"] = len(rows)
    finally:
        source.close()
    return counts


def _as_text(name: str, kind: str) -> str:
    """JSON goes over as its text (jsonb parses it); everything else as DuckDB's value."""
    return f'cast("{name}" as varchar)' if kind == "JSON" else f'"{name}"'
