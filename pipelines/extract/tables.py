"""The warehouse file as extraction sees it: its connection, the one writer of this process
(writer.py) every read and write goes through, raw table names, and what landed rows say
back (a saved cursor, the oldest row still open)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import orjson

from pipelines.extract.schema import ensure_bookkeeping, ensure_raw_table
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
    """This process's writer of the file (shared; stopped when its last user leaves)."""
    with shared_writer(Path(warehouse_path), open_warehouse) as writer:
        yield writer


def raw_table(gateway: str, entity: str) -> str:
    if not (_NAME.match(gateway) and _NAME.match(entity)):
        raise ValueError(f"bad gateway or entity name: {gateway!r}, {entity!r}")
    return f"raw_{gateway}.{entity}"


def prepare_tables(warehouse_path: Path, gateway: str, entity: str) -> None:
    """Create the bookkeeping and the (empty) raw table before any read, so that dbt still
    builds when the gateway refuses this entity and nothing lands."""

    def prepare(con: duckdb.DuckDBPyConnection) -> None:
        ensure_bookkeeping(con)
        ensure_raw_table(con, raw_table(gateway, entity))

    with landing_writer(warehouse_path) as writer:
        writer.call(prepare)


def read_cursor(warehouse_path: Path, gateway: str, account_id: str, entity: str) -> Any:
    """The saved cursor (parsed JSON) of (gateway, account, entity), or None."""
    if not warehouse_path.exists():
        return None
    with landing_writer(warehouse_path) as writer:
        return writer.call(lambda con: cursor_in(con, gateway, account_id, entity))


def cursor_in(con: duckdb.DuckDBPyConnection, gateway: str, account_id: str, entity: str) -> Any:
    ensure_bookkeeping(con)
    rows = con.execute(
        "select cursor::varchar from ledgerdesk.cursors"
        " where gateway = ? and account_id = ? and entity = ?",
        [gateway, account_id, entity],
    ).fetchall()
    return orjson.loads(rows[0][0]) if rows and rows[0][0] is not None else None


def oldest_open_created(
    warehouse_path: Path,
    gateway: str,
    account_id: str,
    entity: str,
    field: str,
    values: tuple[str, ...],
) -> int | None:
    """`created` of the oldest landed row whose payload `field` is one of `values` (a
    balance transaction still pending), or None."""
    if not warehouse_path.exists() or not _NAME.match(field):
        return None
    table = raw_table(gateway, entity)

    def oldest(con: duckdb.DuckDBPyConnection) -> int | None:
        ensure_raw_table(con, table)
        return con.execute(
            f"select min(created) from {table} where account_id = ?"
            f" and payload->>'$.{field}' in (select unnest(?::varchar[]))",
            [account_id, list(values)],
        ).fetchone()[0]

    with landing_writer(warehouse_path) as writer:
        return writer.call(oldest)
