"""DuckDB and PostgreSQL from the same raw data (issue 16): a DuckDB warehouse's raw tables
copied into a fresh PostgreSQL database (ledgerdesk/raw_copy.py, COPY, jsonb payloads), the
dbt project built there with `--target postgres`, and every mart (each model under
models/marts, listed from dbt's manifest) compared row by row with counts.

Rows are compared as multisets after one normalisation per value: timestamps in UTC, every
number exactly (money stays integer minor units; a DECIMAL keeps its digits), arrays as
tuples, JSON parsed. Nothing is rounded but a float (no money is one)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from ledgerdesk.pg_settings import PostgresWarehouse
from tests.dbt.conftest import DbtRun, run_dbt
from tests.pg_database import fresh_pg_database

DONE = re.compile(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)")


def build_counts(run: DbtRun) -> dict[str, int]:
    """PASS / WARN / ERROR / SKIP of a `dbt build`'s summary line."""
    found = DONE.findall(run.output)
    assert found, run.output[-4000:]
    return dict(zip(("PASS", "WARN", "ERROR", "SKIP"), map(int, found[-1]), strict=True))


# A database ledgerdesk_test_<uuid> of its own, dropped at the end (skips, a failure under
# CI=true, when PostgreSQL is unreachable): tests/pg_database.py's, used here for a
# session's one build.
fresh_database = fresh_pg_database


def copy_raw(warehouse: Path, database: PostgresWarehouse) -> None:
    """The raw and bookkeeping tables of the DuckDB file, into the PostgreSQL database. The
    tests' raw tables (tests/dbt/raw_warehouse.py) allow a tombstone without `created`."""
    import psycopg

    from ledgerdesk.raw_copy import copy_warehouse, source_tables
    from pipelines.extract.engines import postgres

    with duckdb.connect(str(warehouse), read_only=True) as con:
        raw = [f"{schema}.{name}" for schema, name in source_tables(con) if schema != "ledgerdesk"]
    with psycopg.connect(database.dsn()) as conn:
        for table in raw:
            postgres.ensure_raw_table(conn, table)
            conn.execute(f"alter table {table} alter column created drop not null")
        conn.commit()
        copy_warehouse(warehouse, conn)


def build_postgres(database: PostgresWarehouse, work_dir: Path, args: list[str]) -> DbtRun:
    """`dbt build --target postgres` on that database (the profile reads LEDGERDESK_PG_*)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    return run_dbt(
        [*args, "--target", "postgres"], work_dir / "unused.duckdb", work_dir,
        env=database.dbt_env(),
    )  # fmt: skip


def mart_relations(target_dir: Path) -> list[tuple[str, str]]:
    """(schema, table) of every model under models/marts, from the build's manifest."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    return sorted(
        (node["schema"], node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    )


def _value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value).normalize()  # 1200 == 1200.00: the same exact number
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Counter


def _table(columns, rows) -> Table:
    return Table(tuple(columns), Counter(tuple(_value(v) for v in row) for row in rows))


def duckdb_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> Table:
    result = con.sql(f'select * from "{schema}"."{name}"')
    return _table(result.columns, result.fetchall())


def postgres_table(conn, schema: str, name: str) -> Table:
    cursor = conn.execute(f'select * from "{schema}"."{name}"')
    return _table([d.name for d in cursor.description], cursor.fetchall())


def differences(name: str, duck: Table, pg: Table, shown: int = 8) -> list[str]:
    """What differs between the two engines' rows of one mart, readably; [] when equal."""
    if duck.columns != pg.columns:
        return [f"{name}: columns differ\n  duckdb:   {duck.columns}\n  postgres: {pg.columns}"]
    if duck.rows == pg.rows:
        return []
    only_duck, only_pg = duck.rows - pg.rows, pg.rows - duck.rows
    lines = [
        f"{name}: {sum(duck.rows.values())} rows on DuckDB, {sum(pg.rows.values())} on "
        f"PostgreSQL; {sum(only_duck.values())} only on DuckDB, {sum(only_pg.values())} only "
        f"on PostgreSQL (columns {', '.join(duck.columns)})"
    ]
    for label, side in (("duckdb  ", only_duck), ("postgres", only_pg)):
        for row, count in sorted(side.items(), key=repr)[:shown]:
            lines.append(f"  {label} x{count}: {row}")
    return lines


def compare_marts(warehouse: Path, database: PostgresWarehouse, target_dir: Path) -> dict[str, int]:
    """Every mart of both engines compared; {schema.table: rows}, or an assertion naming
    every difference."""
    import psycopg

    relations = mart_relations(target_dir)
    assert relations, "no mart in the manifest"
    problems: list[str] = []
    counts: dict[str, int] = {}
    with (
        duckdb.connect(str(warehouse), read_only=True) as con,
        psycopg.connect(database.dsn()) as conn,
    ):
        conn.execute("set time zone 'UTC'")
        for schema, name in relations:
            duck, pg = duckdb_table(con, schema, name), postgres_table(conn, schema, name)
            problems += differences(f"{schema}.{name}", duck, pg)
            counts[f"{schema}.{name}"] = sum(duck.rows.values())
    assert not problems, "DuckDB and PostgreSQL marts differ:\n" + "\n".join(problems)
    return counts
