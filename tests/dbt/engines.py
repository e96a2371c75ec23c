"""DuckDB and PostgreSQL from the same raw data (issue 16): a DuckDB warehouse's raw tables
copied into a fresh PostgreSQL database (ledgerdesk/raw_copy.py, COPY, jsonb payloads), the
dbt project built there with `--target postgres`, and every mart (each model under
models/marts, listed from dbt's manifest) compared row by row with counts.

Rows are compared as multisets after one normalisation per value: timestamps in UTC, every
number exactly (money stays integer minor units; a DECIMAL keeps its digits), arrays as
tuples, JSON parsed. Nothing is rounded but a float (no money is one). Before the rows, each
column's value classes (integer, decimal, float, text, timestamp, boolean...) must be the
same on both engines, and a money column (`*_minor`) holds integers only. The Spark build
(tests/spark/test_spark_build.py) compares its marts with DuckDB's through the same functions."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
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


# The class of each value: a column must hold the same classes on both engines, so an exact
# number on one engine never passes against a float on the other (Python's 1200.0 ==
# Decimal(1200) would hide it), and a money column (`*_minor`) holds integers only.
# An integer is an int or a DECIMAL of scale 0 (PostgreSQL's numeric sum of bigints).
def value_class(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "integer" if value.as_tuple().exponent == 0 else "decimal"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "timestamp"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "json"
    return type(value).__name__


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
    classes: tuple[frozenset[str], ...]  # per column, the classes of its non-NULL values


def table_of(columns, rows) -> Table:
    """A result set as the comparison sees it: normalised rows counted, classes per column."""
    columns, rows = tuple(columns), list(rows)
    classes = [set() for _ in columns]
    for row in rows:
        for seen, value in zip(classes, row, strict=True):
            seen.add(value_class(value))
    return Table(
        columns,
        Counter(tuple(_value(v) for v in row) for row in rows),
        tuple(frozenset(seen - {None}) for seen in classes),
    )


def duckdb_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> Table:
    result = con.sql(f'select * from "{schema}"."{name}"')
    return table_of(result.columns, result.fetchall())


def postgres_table(conn, schema: str, name: str) -> Table:
    cursor = conn.execute(f'select * from "{schema}"."{name}"')
    return table_of([d.name for d in cursor.description], cursor.fetchall())


def _class_names(classes: frozenset[str]) -> str:
    return "/".join(sorted(classes)) or "only NULL"


def differences(
    name: str, left: Table, right: Table, labels=("duckdb", "postgres"), shown: int = 8
) -> list[str]:
    """What differs between two engines' rows of one mart, readably; [] when equal: the
    columns, then each column's value classes (money columns integers only), then the rows."""
    if left.columns != right.columns:
        return [
            f"{name}: columns differ\n  {labels[0]}: {left.columns}\n  {labels[1]}: {right.columns}"
        ]
    lines = []
    for column, left_classes, right_classes in zip(
        left.columns, left.classes, right.classes, strict=True
    ):
        if left_classes and right_classes and left_classes != right_classes:
            lines.append(
                f"{name}.{column}: {_class_names(left_classes)} on {labels[0]}, "
                f"{_class_names(right_classes)} on {labels[1]}"
            )
        for label, classes in zip(labels, (left_classes, right_classes), strict=True):
            if column.endswith("_minor") and classes - {"integer"}:
                lines.append(
                    f"{name}.{column}: money in minor units must be integers, on {label} "
                    f"{_class_names(classes)}"
                )
    if lines or left.rows == right.rows:
        return lines
    only_left, only_right = left.rows - right.rows, right.rows - left.rows
    lines = [
        f"{name}: {sum(left.rows.values())} rows on {labels[0]}, {sum(right.rows.values())} on "
        f"{labels[1]}; {sum(only_left.values())} only on {labels[0]}, "
        f"{sum(only_right.values())} only on {labels[1]} (columns {', '.join(left.columns)})"
    ]
    width = max(map(len, labels))
    for label, side in zip(labels, (only_left, only_right), strict=True):
        for row, count in sorted(side.items(), key=repr)[:shown]:
            lines.append(f"  {label:<{width}} x{count}: {row}")
    return lines


def compare_relations(relations, read_left, read_right, labels) -> dict[str, int]:
    """Every (schema, table) read on both engines (`read_*(schema, name) -> Table`) and
    compared; {schema.table: rows}, or an assertion naming every difference."""
    assert relations, "no mart in the manifest"
    problems: list[str] = []
    counts: dict[str, int] = {}
    for schema, name in relations:
        left, right = read_left(schema, name), read_right(schema, name)
        problems += differences(f"{schema}.{name}", left, right, labels)
        counts[f"{schema}.{name}"] = sum(left.rows.values())
    assert not problems, f"{labels[0]} and {labels[1]} marts differ:\n" + "\n".join(problems)
    return counts


def compare_marts(warehouse: Path, database: PostgresWarehouse, target_dir: Path) -> dict[str, int]:
    """Every mart of DuckDB and PostgreSQL compared; {schema.table: rows}, or an assertion
    naming every difference."""
    import psycopg

    with (
        duckdb.connect(str(warehouse), read_only=True) as con,
        psycopg.connect(database.dsn()) as conn,
    ):
        conn.execute("set time zone 'UTC'")
        return compare_relations(
            mart_relations(target_dir),
            lambda schema, name: duckdb_table(con, schema, name),
            lambda schema, name: postgres_table(conn, schema, name),
            ("duckdb", "postgres"),
        )
