"""The warehouse file as extraction sees it: its connection, the one writer of this process
(writer.py) every read and write goes through, raw table names, and what landed rows say
back (a saved cursor, the oldest row still open): through the engine's writer (engines/), for
a DuckDB file or any engine's Target, and DuckDB's own jobs behind them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import orjson

from pipelines.extract.schema import ensure_bookkeeping, ensure_raw_table
from pipelines.extract.statements import DUCKDB
from pipelines.extract.statements import oldest_open as oldest_open_sql
from pipelines.extract.statements import read_cursor as read_cursor_sql
from pipelines.extract.writer import Writer, shared_writer
from pipelines.lib.warehouse import writer_lock

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

# Rows per row group written by our connections. DuckDB rewrites a table's last, partly
# filled row group at each checkpoint, holding all of it in memory: with
# the default 122,880 rows of ~2-3 KB payloads, peak memory grew with the table up to ~900 MB.
ROW_GROUP_ROWS = 16_384


def open_warehouse(warehouse_path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to the file (the caller holds the writer lock)."""
    con = duckdb.connect()
    try:
        path = str(warehouse_path).replace("'", "''")
        con.execute(f"attach '{path}' as warehouse (row_group_size {ROW_GROUP_ROWS})")
        con.execute("use warehouse")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def warehouse_connection(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection under the cross-process writer lock."""
    with writer_lock(warehouse_path):
        con = open_warehouse(warehouse_path)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def landing_writer(warehouse_path: Path) -> Iterator[Writer]:
    """This process's writer of the file (shared with warehouse_writer's; stopped when its
    last user leaves): jobs on a DuckDB connection."""
    with shared_writer(Path(warehouse_path), open_warehouse) as writer:
        yield writer


def raw_table(gateway: str, entity: str) -> str:
    if not (_NAME.match(gateway) and _NAME.match(entity)):
        raise ValueError(f"bad gateway or entity name: {gateway!r}, {entity!r}")
    return f"raw_{gateway}.{entity}"


def prepare_tables(warehouse: Any, gateway: str, entity: str) -> None:
    """Create the bookkeeping and the (empty) raw table before any read, so that dbt still
    builds when the gateway refuses this entity and nothing lands. `warehouse`: a DuckDB
    file's path, or an engines.Target."""
    from pipelines.extract.engines import warehouse_writer

    with warehouse_writer(warehouse) as writer:
        writer.prepare_tables(gateway, entity)


def read_cursor(warehouse: Any, gateway: str, account_id: str, entity: str) -> Any:
    """The saved cursor (parsed JSON) of (gateway, account, entity), or None."""
    from pipelines.extract.engines import warehouse_writer

    with warehouse_writer(warehouse) as writer:
        return writer.read_cursor(gateway, account_id, entity)


def oldest_open_created(
    warehouse: Any, gateway: str, account_id: str, entity: str, field: str, values: tuple
) -> int | None:
    """`created` of the oldest landed row whose payload `field` is one of `values` (a
    balance transaction still pending), or None."""
    from pipelines.extract.engines import warehouse_writer

    with warehouse_writer(warehouse) as writer:
        return writer.oldest_open_created(gateway, account_id, entity, field, values)


# --- DuckDB's jobs (engines/duckdb.py), on the writer's connection ---
def prepare_in(con: duckdb.DuckDBPyConnection, gateway: str, entity: str) -> None:
    ensure_bookkeeping(con)
    ensure_raw_table(con, raw_table(gateway, entity))


def cursor_in(con: duckdb.DuckDBPyConnection, gateway: str, account_id: str, entity: str) -> Any:
    ensure_bookkeeping(con)
    rows = con.execute(read_cursor_sql(DUCKDB), [gateway, account_id, entity]).fetchall()
    return orjson.loads(rows[0][0]) if rows and rows[0][0] is not None else None


def oldest_open_in(
    con: duckdb.DuckDBPyConnection,
    gateway: str,
    account_id: str,
    entity: str,
    field: str,
    values: tuple[str, ...],
) -> int | None:
    def query(table: str, account_id: str, field: str, values: list[str]) -> int | None:
        ensure_raw_table(con, table)
        params = [account_id, field, values]
        return con.execute(oldest_open_sql(table, DUCKDB), params).fetchone()[0]

    return oldest_open_with(query, gateway, account_id, entity, field, values)


def oldest_open_with(
    query: Callable[[str, str, str, list[str]], int | None],
    gateway: str,
    account_id: str,
    entity: str,
    field: str,
    values: tuple[str, ...],
) -> int | None:
    """Every engine's oldest_open_created: `created` of the oldest landed row of (gateway,
    account, entity) whose payload `field` (a plain name, else None) is one of `values`;
    `query(table, account_id, field, values)` is the engine's own reading (statements.
    oldest_open on DuckDB and PostgreSQL, a scan of the committed rows on Spark)."""
    if not _NAME.match(field):
        return None
    return query(raw_table(gateway, entity), account_id, field, list(values))
