"""Publish the marts as a read-only snapshot for the dashboards.

DuckDB lets one process write a file and no other process open it meanwhile, so readers
never open the warehouse: they read `<published_dir>/marts.duckdb`, a copy of the marts
schema written beside it and swapped in by rename. A reader that has the old file open keeps
reading the old snapshot until it reconnects; a pipeline run never blocks a page.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import duckdb

from pipelines.lib.data_quality import BUILD_STATUS_COLUMNS, DATA_QUALITY_COLUMNS, BuildState

SNAPSHOT_NAME = "published.duckdb"  # not marts.duckdb: the catalog name would shadow the schema


def snapshot_path(published_dir: Path) -> Path:
    return published_dir / SNAPSHOT_NAME


def publish_marts(
    warehouse_path: Path, published_dir: Path, schema: str = "marts", build: str | None = None
) -> dict:
    """Copy every table of `schema` into a new snapshot file, stamped with the id of the
    build it holds (`build`: raw_watermark.recorded_build); return rows per table."""

    def fill(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        rows: dict[str, int] = {}
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
        _copy_macros(con, schema)
        copy_data_quality(con, schema)
        con.sql("detach wh")
        return rows

    return write_snapshot(published_dir, fill, schema, build)


def write_snapshot(published_dir: Path, fill, schema: str, build: str | None) -> dict[str, int]:
    """A new snapshot file: `fill(con)` writes the marts, the macros and the data-quality
    tables of `schema` and returns rows per table; then the build's stamp; swapped in by
    rename, so a reader sees the old snapshot or the new one, and a failure leaves the old."""
    published_dir.mkdir(parents=True, exist_ok=True)
    tmp = published_dir / f"publishing-{uuid.uuid4().hex}.tmp"
    try:
        con = duckdb.connect(str(tmp))
        try:
            rows = fill(con)
            con.sql(
                f"create table {schema}._published as "
                "select cast(current_timestamp at time zone 'UTC' as timestamp) as published_at, "
                f"{len(rows)}::integer as table_count, ?::varchar as build_id",
                params=[build],
            )
            con.sql("checkpoint")
        finally:
            con.close()
        os.replace(tmp, snapshot_path(published_dir))
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return rows


def _copy_macros(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """The warehouse's DuckDB macros of `schema` (dbt's on-run-start stores the email rule
    as marts.normalize_email), so readers apply the very rule the models applied."""
    macros = con.sql(
        "select function_name, parameters, macro_definition from duckdb_functions() "
        "where database_name = 'wh' and schema_name = ? and function_type = 'macro'",
        params=[schema],
    ).fetchall()
    for name, parameters, definition in macros:
        con.sql(f"create macro {schema}.{name}({', '.join(parameters)}) as {definition}")


def copy_data_quality(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """The last build's test outcomes and status (pipelines/lib/data_quality.py)."""
    landed = {
        name
        for (name,) in con.sql(
            "select table_name from information_schema.tables "
            "where table_catalog = 'wh' and table_schema = 'ledgerdesk'"
        ).fetchall()
    }
    for table, columns in (
        ("data_quality", DATA_QUALITY_COLUMNS),
        ("build_status", BUILD_STATUS_COLUMNS),
    ):
        con.sql(f"create table {schema}._{table} ({columns})")
        if table in landed:
            con.sql(f"insert into {schema}._{table} from wh.ledgerdesk.{table}")


def served_build(published_dir: Path, schema: str = "marts") -> str | None:
    """The build id the current snapshot was stamped with; None when there is no snapshot
    (or one from before stamps: the transform then builds and publishes again)."""
    try:
        con = duckdb.connect(str(snapshot_path(published_dir)), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.sql(f"select build_id from {schema}._published").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None
    finally:
        con.close()


def mark_snapshot_stale(published_dir: Path, state: BuildState, schema: str = "marts") -> bool:
    """A build that failed structurally publishes nothing: stamp its failure into (a copy
    of) the current snapshot, swapped in by rename, so the pages say their data is stale
    and since when. False when nothing was ever published."""
    current = snapshot_path(published_dir)
    if not current.exists():
        return False
    tmp = published_dir / f"stamping-{uuid.uuid4().hex}.tmp"
    try:
        shutil.copyfile(current, tmp)
        con = duckdb.connect(str(tmp))
        try:
            con.sql(f"create table if not exists {schema}._build_status ({BUILD_STATUS_COLUMNS})")
            last_success = con.sql(
                f"select coalesce((select max(last_success_at) from {schema}._build_status), "
                f"(select max(published_at) from {schema}._published))"
            ).fetchall()[0][0]
            con.sql(f"delete from {schema}._build_status")
            con.execute(
                f"insert into {schema}._build_status values ('failed', ?, ?, ?)",
                [state.finished_at, last_success, state.message],
            ).fetchall()
            con.sql("checkpoint")
        finally:
            con.close()
        os.replace(tmp, current)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return True
