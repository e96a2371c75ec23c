"""The same figures on Spark (issue 16): the hand-written edge-case account
(tests/dbt/edge_cases.py) built on DuckDB, its raw tables copied into the Spark layout
(pipelines/extract/engines/spark.py, copy_from_duckdb), `dbt build --target spark` run in a
local session, and every mart (each model under models/marts, from dbt's manifest) compared
row by row with counts: numbers exactly (money in integer minor units), timestamps in UTC,
arrays as tuples. Only under `make test-spark` (`-m spark`); skips, with the reason, without
PySpark or Java. Prints the wall time of each build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.extract.engines import spark
from tests.dbt.conftest import PROJECT_DIR, run_dbt
from tests.spark.conftest import spark_missing

# One Spark build of the edge account takes 10-15 min here (the suite default is 600 s).
pytestmark = [pytest.mark.spark, pytest.mark.timeout(2400)]

DBT = Path(sys.executable).with_name("dbt")
DONE = re.compile(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)")


def build_counts(output: str) -> dict[str, int]:
    found = DONE.findall(output)
    assert found, output[-4000:]
    return dict(zip(("PASS", "WARN", "ERROR", "SKIP"), map(int, found[-1]), strict=True))


def run_spark_dbt(args: list[str], spark_dir: Path, work_dir: Path) -> subprocess.CompletedProcess:
    """The venv's dbt with `--target spark`: the session's warehouse and metastore under
    spark_dir (LEDGERDESK_SPARK_DIR), Java found on PATH."""
    java = shutil.which("java")
    env = {
        # pyspark's spark-submit is a bash script (#!/usr/bin/env bash): bash's folder too
        "PATH": os.pathsep.join(
            [
                str(DBT.parent),
                str(Path(java).resolve().parent),
                str(Path(shutil.which("bash")).parent),
            ]
        ),
        "HOME": str(work_dir),
        "LEDGERDESK_SPARK_DIR": str(spark_dir),
        "LEDGERDESK_WAREHOUSE": str(work_dir / "unused.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if os.environ.get("JAVA_HOME"):
        env["JAVA_HOME"] = os.environ["JAVA_HOME"]
    return subprocess.run(
        [str(DBT), *args, "--target", "spark", "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR), "--target-path", str(work_dir / "target"),
         "--log-path", str(work_dir / "logs")],
        cwd=work_dir, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(duckdb warehouse, duckdb output, spark dir, spark output, target dir, seconds)."""
    reason = spark_missing()
    if reason:
        pytest.skip(reason)
    from tests.dbt.edge_cases import edge_case_objects
    from tests.dbt.raw_warehouse import load_raw_stripe

    work = tmp_path_factory.mktemp("spark_build")
    warehouse = work / "warehouse.duckdb"
    load_raw_stripe(warehouse, edge_case_objects())
    (work / "duck").mkdir()
    start = time.perf_counter()
    duck = run_dbt(["build"], warehouse, work / "duck")
    duck_seconds = time.perf_counter() - start
    assert duck.returncode == 0, duck.output[-6000:]
    spark_dir = work / "spark"
    start = time.perf_counter()
    spark.copy_from_duckdb(warehouse, spark_dir)
    copy_seconds = time.perf_counter() - start
    (work / "spark_run").mkdir()
    start = time.perf_counter()
    run = run_spark_dbt(["build"], spark_dir, work / "spark_run")
    spark_seconds = time.perf_counter() - start
    print(
        f"DuckDB dbt build {duck_seconds:.1f} s; copy to Spark {copy_seconds:.1f} s;"
        f" Spark dbt build {spark_seconds:.1f} s",
        file=sys.stderr,
    )
    return warehouse, duck.output, spark_dir, run.stdout + run.stderr, work / "spark_run"


def test_spark_build_passes_everything_duckdb_passes(built):
    _, duck_output, _, output, _ = built
    counts = build_counts(output)
    assert counts["ERROR"] == 0 and counts["SKIP"] == 0, _errors(output)
    assert counts == build_counts(duck_output)


def _errors(output: str) -> str:
    return "\n".join(line for line in output.splitlines() if " ERROR " in line)[-6000:]


def mart_relations(target_dir: Path) -> list[tuple[str, str]]:
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
    if isinstance(value, date):
        return value
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value).normalize()  # 1200 == 1200.00: the same exact number
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    return value


def _rows(columns, rows) -> tuple[tuple[str, ...], Counter]:
    return tuple(columns), Counter(tuple(_value(v) for v in row) for row in rows)


def spark_table(spark_dir: Path, schema: str, name: str):
    """A managed table's Parquet files (the session's warehouse dir), read without a JVM."""
    folder = spark_dir / "warehouse" / f"{schema}.db" / name
    files = sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith((".", "_")))
    assert files, f"no Parquet file for {schema}.{name} under {folder}"
    table = pq.ParquetDataset(files).read()
    return _rows(table.column_names, (tuple(r.values()) for r in table.to_pylist()))


def test_every_mart_is_equal_on_spark_and_duckdb(built):
    warehouse, _, spark_dir, output, target_dir = built
    assert build_counts(output)["ERROR"] == 0, _errors(output)
    relations = mart_relations(target_dir)
    assert len(relations) >= 10, relations
    problems, counts = [], {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, name in relations:
            result = con.sql(f'select * from "{schema}"."{name}"')
            duck = _rows(result.columns, result.fetchall())
            on_spark = spark_table(spark_dir, schema, name)
            counts[name] = sum(duck[1].values())
            if duck[0] != on_spark[0]:
                problems.append(f"{name}: columns {duck[0]} vs {on_spark[0]}")
            elif duck[1] != on_spark[1]:
                only_duck, only_spark = duck[1] - on_spark[1], on_spark[1] - duck[1]
                problems.append(
                    f"{name}: {sum(only_duck.values())} rows only on DuckDB, "
                    f"{sum(only_spark.values())} only on Spark; e.g. "
                    f"{sorted(only_duck, key=repr)[:2]} / {sorted(only_spark, key=repr)[:2]}"
                )
    assert not problems, "DuckDB and Spark marts differ:\n" + "\n".join(problems)
    assert sum(counts.values()) > 40, counts
