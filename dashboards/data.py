"""The dashboards' one door to data: a read-only connection to the published snapshot.

The pipeline replaces the snapshot by rename, so the connection is cached per file identity
(inode and mtime): a page keeps reading the snapshot it opened until a newer one appears.
The dashboards read only where the snapshot is (`published_dir`): never a gateway key,
never the warehouse. What goes wrong reaches the page as `DataUnavailable`, a message for
a person without server paths or tracebacks.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from ledgerdesk.config import ConfigError, load_settings
from pipelines.lib.publish import snapshot_path

log = logging.getLogger(__name__)


class DataUnavailable(RuntimeError):
    """The published data cannot be read; the message is fit to show on a page."""


def _snapshot_file() -> Path:
    try:
        settings = load_settings()
    except ConfigError as exc:
        log.error("dashboards: %s", exc)
        problem = str(exc).removeprefix(f"{exc.path}: ")
        raise DataUnavailable(
            f"The configuration cannot be read ({problem}). Ask an administrator to fix it."
        ) from None
    return snapshot_path(settings.published_dir)


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
    path = _snapshot_file()
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
