"""The dashboards' one door to data, and the one place where the engines' SQL differs.

DuckDB (the default), and Spark (`warehouse.engine: spark`: the publish step copies the Spark
build's marts into the same snapshot, pipelines/lib/publish_spark.py): a read-only connection
to the published snapshot. The pipeline
replaces the snapshot by rename, so the connection is cached per file identity (inode and
mtime): a page keeps reading the snapshot it opened until a newer one appears.
PostgreSQL (`warehouse.engine: postgres`): the marts are read from the schema `serving`, the
copy of the last successful build's marts that the publish step swaps in in one transaction
(pipelines/lib/publish_postgres.py), never from dbt's own schemas, which a running or failed
build leaves half new; connections are read-only (the server refuses any write), results
are cached for PG_CACHE_SECONDS, so a page shows a published build within a minute.

The dashboards read only the marts and the build's data-quality state: never a gateway
key, never raw data. What goes wrong reaches the page as `DataUnavailable`, a message for a
person without server paths, passwords or tracebacks.

Queries (queries.py) are written once, in SQL both engines run, with `$1, $2, ...`
parameters; what differs is here: the parameter style, the marts' schema (`marts_schema`),
accent folding (`strip_accents`), and where the build's state lives (`bookkeeping`).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from ledgerdesk.config import ConfigError, Settings, load_settings
from ledgerdesk.pg_settings import PostgresWarehouse
from pipelines.lib.publish import snapshot_path
from pipelines.lib.publish_postgres import SERVING

log = logging.getLogger(__name__)

PG_CACHE_SECONDS = 60


class DataUnavailable(RuntimeError):
    """The published data cannot be read; the message is fit to show on a page."""


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        log.error("dashboards: %s", exc)
        problem = str(exc).removeprefix(f"{exc.path}: ")
        raise DataUnavailable(
            f"The configuration cannot be read ({problem}). Ask an administrator to fix it."
        ) from None


def engine() -> str:
    """The engine the dashboards read: duckdb (the snapshot, also for a Spark warehouse) or
    postgres."""
    return "postgres" if _settings().engine == "postgres" else "duckdb"


# --- what differs between the engines ---
def strip_accents(expr: str) -> str:
    """SQL folding accents off `expr` (é -> e): DuckDB's strip_accents; on PostgreSQL the
    same by hand (NFD, combining marks removed), needing no extension."""
    if engine() == "postgres":
        return f"regexp_replace(normalize({expr}, NFD), '[\\u0300-\\u036f]', '', 'g')"
    return f"strip_accents({expr})"


def marts_schema() -> str:
    """Where the marts are read: the snapshot's `marts`, PostgreSQL's `serving`."""
    return SERVING if engine() == "postgres" else "marts"


def bookkeeping(name: str) -> str:
    """The build's state a page shows: `data_quality` (the tests of the build served),
    copied beside the marts when they are published; `build_status` (the last build's, so a
    failed build shows at once), stamped into the snapshot for DuckDB, read in place
    (schema ledgerdesk) on PostgreSQL."""
    if engine() == "postgres" and name == "build_status":
        return "ledgerdesk.build_status"
    return f"{marts_schema()}._{name}"


_PARAM = re.compile(r"\$(\d+)")


def _postgres_sql(sql: str) -> str:
    """`$n` -> psycopg's `%(pn)s` (and a literal % doubled)."""
    return _PARAM.sub(r"%(p\1)s", sql.replace("%", "%%"))


# --- DuckDB: the published snapshot ---
def _snapshot_file() -> Path:
    return snapshot_path(_settings().published_dir)


@st.cache_resource(max_entries=2)
def _connect(path: str, identity: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


def snapshot_version(path: Path | None = None) -> tuple[int, int] | None:
    """(inode, mtime) of the current snapshot, or None before the first pipeline run."""
    try:
        stat = os.stat(path or _snapshot_file())
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def query(sql: str, params: list | None = None) -> pl.DataFrame:
    settings = _settings()
    if settings.engine == "postgres":
        return _query_postgres(settings.postgres, sql, params)
    path = snapshot_path(settings.published_dir)
    version = snapshot_version(path)
    if version is None:
        log.warning("dashboards: no snapshot at %s", path)
        raise DataUnavailable("No published data yet: run the pipeline (make pipeline) first.")
    try:
        return _cached_query(str(path), sql, tuple(params or ()), version)
    except duckdb.Error as exc:
        log.exception("dashboards: query failed on %s", path)
        raise DataUnavailable(
            f"The published data could not be read ({type(exc).__name__})."
        ) from None


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def _cached_query(path: str, sql: str, params: tuple, version: tuple[int, int]) -> pl.DataFrame:
    # A cursor per query: the cached connection is shared by Streamlit's session threads.
    cursor = _connect(path, version).cursor()
    try:
        return cursor.sql(sql, params=list(params)).pl()
    finally:
        cursor.close()


# --- PostgreSQL: the warehouse itself ---
def _query_postgres(pg: PostgresWarehouse, sql: str, params: list | None) -> pl.DataFrame:
    import psycopg

    try:
        return _cached_pg_query(pg, sql, tuple(params or ()))
    except psycopg.Error as exc:
        log.error("dashboards: query failed on %s: %s", pg.safe_dsn(), type(exc).__name__)
        # Before the first publish: no schema `serving` (a function in it: InvalidSchemaName).
        if isinstance(exc, psycopg.errors.UndefinedTable | psycopg.errors.InvalidSchemaName):
            raise DataUnavailable(
                "No published data yet: run the pipeline (make pipeline) first."
            ) from None
        raise DataUnavailable(f"The warehouse could not be read ({type(exc).__name__}).") from None


class _Connections:
    """One kept read-only connection per server and session thread (a psycopg connection
    runs one query at a time); a broken one is replaced on the next query."""

    def __init__(self, pg: PostgresWarehouse) -> None:
        self.pg, self.local = pg, threading.local()

    def get(self):
        import psycopg

        conn = getattr(self.local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            # Read-only on the server's side: psycopg's `read_only` would not hold under
            # autocommit (it only sets the transactions psycopg itself begins).
            conn = psycopg.connect(
                self.pg.dsn(),
                autocommit=True,
                connect_timeout=5,
                options="-c default_transaction_read_only=on",
            )
            self.local.conn = conn
        return conn


@st.cache_resource(max_entries=2)
def _pg_connections(pg: PostgresWarehouse) -> _Connections:
    return _Connections(pg)


@st.cache_data(ttl=PG_CACHE_SECONDS, max_entries=256, show_spinner=False)
def _cached_pg_query(pg: PostgresWarehouse, sql: str, params: tuple) -> pl.DataFrame:
    conn = _pg_connections(pg).get()
    if params:
        named = {f"p{n}": value for n, value in enumerate(params, start=1)}
        cursor = conn.execute(_postgres_sql(sql), named)
    else:  # no parameters: psycopg sends the text as it is (a % stays one)
        cursor = conn.execute(sql)
    columns = [column.name for column in cursor.description]
    rows = cursor.fetchall()
    return pl.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(columns)}, strict=False
    )
