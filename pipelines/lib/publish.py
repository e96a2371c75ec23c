"""Publish the marts as a read-only snapshot for the dashboards.

DuckDB lets one process write a file and no other process open it meanwhile, so readers
never open the warehouse: they read `<published_dir>/marts.duckdb`, a copy of the marts
schema written beside it and swapped in by rename. A reader that has the old file open keeps
reading the old snapshot until it reconnects; a pipeline run never blocks a page.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

SNAPSHOT_NAME = "published.duckdb"  # not marts.duckdb: the catalog name would shadow the schema


def snapshot_path(published_dir: Path) -> Path:
    return published_dir / SNAPSHOT_NAME


def publish_marts(warehouse_path: Path, published_dir: Path, schema: str = "marts") -> dict:
    """Copy every table of `schema` into a new snapshot file; return rows per table."""
    published_dir.mkdir(parents=True, exist_ok=True)
    tmp = published_dir / f"publishing-{uuid.uuid4().hex}.tmp"
    rows: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("attach ? as wh (read_only)", [str(warehouse_path)]).fetchall()
            tables = con.sql(
                "select table_name from information_schema.tables "
                "where table_catalog = 'wh' and table_schema = ? and table_type = 'BASE TABLE' "
                "order by table_name",
                params=[schema],
            ).fetchall()
            con.sql(f"create schema {schema}")
            for (table,) in tables:
                con.sql(f'create table {schema}."{table}" as from wh.{schema}."{table}"')
                rows[table] = con.sql(f'select count(*) from {schema}."{table}"').fetchall()[0][0]
            con.sql(
                f"create table {schema}._published as "
                "select current_timestamp as published_at, "
                f"{len(tables)}::integer as table_count"
            )
            con.sql("detach wh")
            con.sql("checkpoint")
        finally:
            con.close()
        os.replace(tmp, snapshot_path(published_dir))
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return rows
