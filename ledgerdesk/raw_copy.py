"""Move a DuckDB warehouse's raw data to PostgreSQL: every `raw_<gateway>` table and every
bookkeeping table (`ledgerdesk.*`), by COPY in batches.

Each table is replaced in one PostgreSQL transaction (delete its rows, COPY the source's),
so re-running gives the same rows; the row count of each table is verified before commit.
Raw and known bookkeeping tables get the layout of pipelines/extract/engines/postgres.py;
other bookkeeping tables get their DuckDB columns with the types mapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg

from pipelines.extract import statements as sql
from pipelines.extract.engines import postgres

BATCH_ROWS = 10_000

_TYPES = {
    "VARCHAR": "varchar",
    "JSON": "jsonb",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


@dataclass(frozen=True)
class TableCopy:
    table: str
    source_rows: int
    target_rows: int


def source_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.sql(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = current_database() and table_type = 'BASE TABLE'"
        " and (table_schema like 'raw\\_%' escape '\\' or table_schema = 'ledgerdesk')"
        " and not (table_schema = 'ledgerdesk' and table_name = 'raw_generations')"
        " order by table_schema, table_name"
    ).fetchall()
    return [(schema, name) for schema, name in rows]


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[tuple[str, str]]:
    return con.sql(
        "select column_name, data_type from information_schema.columns"
        f" where table_catalog = current_database() and table_schema = '{schema}'"
        f" and table_name = '{name}' order by ordinal_position"
    ).fetchall()


def _ensure_target(
    conn: psycopg.Connection, schema: str, name: str, columns: list[tuple[str, str]]
) -> None:
    if schema.startswith("raw_"):
        postgres.ensure_raw_table(conn, f"{schema}.{name}")
        return
    postgres.ensure_bookkeeping(conn)
    if name in ("cursors", "quarantine"):
        return
    body = ", ".join(f"{col} {_TYPES.get(kind, 'varchar')}" for col, kind in columns)
    conn.execute(f"create table if not exists {schema}.{name} ({body})")


def copy_table(
    con: duckdb.DuckDBPyConnection, conn: psycopg.Connection, schema: str, name: str
) -> TableCopy:
    table = f"{schema}.{name}"
    columns = _columns(con, schema, name)
    names = ", ".join(col for col, _ in columns)
    # Text is PostgreSQL's input format for every type here (json, timestamptz included).
    select = ", ".join(f'"{col}"::varchar' for col, _ in columns)
    source_rows = con.sql(f"select count(*) from {table}").fetchall()[0][0]
    with conn.transaction():
        _ensure_target(conn, schema, name, columns)
        conn.execute(f"delete from {table}")
        reader = con.cursor()  # its own cursor: fetchmany streams the result in batches
        reader.execute(f"select {select} from {table}")
        with conn.cursor().copy(f"copy {table} ({names}) from stdin") as copy:
            while rows := reader.fetchmany(BATCH_ROWS):
                for row in rows:
                    copy.write_row(row)
        target_rows = conn.execute(f"select count(*) from {table}").fetchone()[0]
        if target_rows != source_rows:
            raise RuntimeError(f"{table}: {source_rows} rows in DuckDB, {target_rows} copied")
        if schema.startswith("raw_"):  # the target's own counter moves (never copied over)
            postgres.ensure_bookkeeping(conn)
            conn.execute(sql.bump_generation(sql.POSTGRES), [table])
    return TableCopy(table, source_rows, target_rows)


def copy_warehouse(warehouse_path: Path, conn: psycopg.Connection) -> list[TableCopy]:
    """Copy every raw and bookkeeping table of the DuckDB file into `conn`'s database."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return [copy_table(con, conn, schema, name) for schema, name in source_tables(con)]
    finally:
        con.close()
