"""The dashboards' one door to data: a read-only connection to the published snapshot.

The pipeline replaces the snapshot by rename, so the connection is cached per file identity
(inode and mtime): a page keeps reading the snapshot it opened until a newer one appears.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from ledgerdesk.config import load_settings
from pipelines.lib.publish import snapshot_path


@st.cache_resource
def _snapshot_file() -> Path:
    return snapshot_path(load_settings().published_dir)


@st.cache_resource(max_entries=2)
def _connect(path: str, identity: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


def snapshot_version() -> tuple[int, int] | None:
    """(inode, mtime) of the current snapshot, or None before the first pipeline run."""
    try:
        stat = os.stat(_snapshot_file())
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def query(sql: str, params: list | None = None) -> pl.DataFrame:
    version = snapshot_version()
    if version is None:
        raise FileNotFoundError(
            f"No published marts at {_snapshot_file()}: run the pipeline (make pipeline) first."
        )
    return _cached_query(sql, tuple(params or ()), version)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def _cached_query(sql: str, params: tuple, version: tuple[int, int]) -> pl.DataFrame:
    # A cursor per query: the cached connection is shared by Streamlit's session threads.
    cursor = _connect(str(_snapshot_file()), version).cursor()
    try:
        return cursor.sql(sql, params=list(params)).pl()
    finally:
        cursor.close()
