"""DuckDB, the default engine: today's landing (landing.py) on the warehouse file (tables.py),
its writer holding the file's cross-process lock while its connection is open."""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.extract import landing, tables
from pipelines.extract.engines import Engine, Target


def _open(target: Target) -> duckdb.DuckDBPyConnection:
    return tables.open_warehouse(target.path)


def _land(con: duckdb.DuckDBPyConnection, batch: Any) -> landing.LandingCounts:
    return landing.land_into(con, batch)  # looked up per batch: tests wrap it


ENGINE = Engine(
    name="duckdb",
    open=_open,
    land=_land,
    read_cursor=tables.cursor_in,
    prepare_tables=tables.prepare_in,
    oldest_open_created=tables.oldest_open_in,
    file_lock=True,
    may_hold_data=lambda target: target.path.exists(),
)
