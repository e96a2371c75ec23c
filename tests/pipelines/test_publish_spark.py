"""The Spark build's serving copy (pipelines/lib/publish_spark.py), with no JVM: Parquet parts
written by hand with pyarrow as dbt's Spark session lays out a managed table
(`<spark dir>/warehouse/marts.db/<mart>/part-*.parquet`, beside `_SUCCESS` and `.crc` files;
instants as Parquet timestamps adjusted to UTC, decimals, arrays), published into the DuckDB
snapshot the dashboards read: the very rows, with the types DuckDB's own marts have (written
out here from a DuckDB build's snapshot), the build's stamp and data-quality state; a failing
publish leaves the previous snapshot."""

from __future__ import annotations

import fcntl
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.defs.transform import served_build, transform_lock
from pipelines.lib.data_quality import BuildState, record_build
from pipelines.lib.data_quality import TestOutcome as Outcome
from pipelines.lib.publish import snapshot_path
from pipelines.lib.publish_spark import (
    BOOKKEEPING,
    bookkeeping_path,
    mart_folder,
    publish_spark_marts,
)

# The marts' contracts (DuckDB's type names, as mart_contracts reads them from the manifest).
CONTRACTS = {
    "fct_payments": {
        "payment_id": "varchar",
        "created_at": "timestamp",
        "created_date": "date",
        "amount_minor": "bigint",
        "amount_major": "decimal(38,3)",
        "is_captured": "boolean",
        "synced_at": "timestamptz",
    },
    "dim_customers": {
        "person_id": "varchar",
        "customer_ids": "varchar[]",
        "customers_count": "bigint",
    },
}
# information_schema.columns of a DuckDB build's snapshot for these columns.
DUCKDB_TYPES = {
    "fct_payments": [
        ("payment_id", "VARCHAR"),
        ("created_at", "TIMESTAMP"),
        ("created_date", "DATE"),
        ("amount_minor", "BIGINT"),
        ("amount_major", "DECIMAL(38,3)"),
        ("is_captured", "BOOLEAN"),
        ("synced_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "dim_customers": [
        ("person_id", "VARCHAR"),
        ("customer_ids", "VARCHAR[]"),
        ("customers_count", "BIGINT"),
    ],
}
BIG = 2**53 + 1  # not a double: a money column read through a float would lose its last unit
PAYMENTS = [
    # (payment_id, created_at (an instant), created_date, amount_minor, amount_major,
    #  is_captured, synced_at)
    ("pay_1", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), date(2026, 11, 30), 1999,
     Decimal("19.990"), True, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ("pay_2", datetime(2026, 12, 1, 0, 15, 5, 123456, tzinfo=UTC), date(2026, 12, 1), BIG,
     Decimal("90071992547409.930"), False, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ("pay_3", None, None, -500, Decimal("-5.000"), None, None),
]  # fmt: skip
CUSTOMERS = [("per_1", ["cus_a", "cus_b"], 2), ("per_2", [], 0), ("per_3", None, 1)]

PAYMENTS_SCHEMA = pa.schema(
    [
        ("payment_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),  # Spark's timestamp: an instant
        ("created_date", pa.date32()),
        ("amount_minor", pa.int64()),
        ("amount_major", pa.decimal128(38, 3)),
        ("is_captured", pa.bool_()),
        ("synced_at", pa.timestamp("us", tz="UTC")),
    ]
)
CUSTOMERS_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("customer_ids", pa.list_(pa.field("element", pa.string()))),
        ("customers_count", pa.int64()),
    ]
)


def write_spark_table(spark_dir: Path, mart: str, schema: pa.Schema, parts: list[list]) -> None:
    """A managed table as Spark writes one: a Parquet part per task, `_SUCCESS`, `.crc`s."""
    folder = mart_folder(spark_dir, mart)
    folder.mkdir(parents=True, exist_ok=True)
    for n, rows in enumerate(parts):
        name = f"part-{n:05d}-3f1c2a9e-0b7d-4c1e-9a52-7e1d2c3b4a5f-c000.snappy.parquet"
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
        table = pa.Table.from_arrays(
            [
                pa.array(list(values), type=field.type)
                for values, field in zip(columns, schema, strict=True)
            ],
            schema=schema,
        )
        pq.write_table(table, folder / name, compression="snappy")
        (folder / f".{name}.crc").write_bytes(b"crc")
    (folder / "_SUCCESS").write_bytes(b"")


@pytest.fixture
def spark_dir(tmp_path) -> Path:
    spark = tmp_path / "spark"
    write_spark_table(spark, "fct_payments", PAYMENTS_SCHEMA, [PAYMENTS[:2], PAYMENTS[2:], []])
    write_spark_table(spark, "dim_customers", CUSTOMERS_SCHEMA, [CUSTOMERS])
    return spark


def _snapshot(published: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(snapshot_path(published)), read_only=True)


def _types(con, mart: str) -> list[tuple[str, str]]:
    return con.sql(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
        params=[mart],
    ).fetchall()


def test_spark_marts_are_published_with_duckdbs_types_and_the_builds_stamp(spark_dir, tmp_path):
    published = tmp_path / "published"
    rows = publish_spark_marts(spark_dir, published, CONTRACTS, build="build-7")
    assert rows == {"fct_payments": 3, "dim_customers": 3}
    with _snapshot(published) as con:
        con.sql("set TimeZone = 'UTC'")
        assert {mart: _types(con, mart) for mart in CONTRACTS} == DUCKDB_TYPES
        assert con.sql("select * from marts.fct_payments order by payment_id").fetchall() == [
            ("pay_1", datetime(2026, 11, 30, 23, 30), date(2026, 11, 30), 1999,
             Decimal("19.990"), True, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
            ("pay_2", datetime(2026, 12, 1, 0, 15, 5, 123456), date(2026, 12, 1), BIG,
             Decimal("90071992547409.930"), False, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
            ("pay_3", None, None, -500, Decimal("-5.000"), None, None),
        ]  # fmt: skip
        assert con.sql("select * from marts.dim_customers order by person_id").fetchall() == [
            ("per_1", ["cus_a", "cus_b"], 2),
            ("per_2", [], 0),
            ("per_3", None, 1),
        ]
        assert con.sql("select table_count, build_id from marts._published").fetchall() == [
            (2, "build-7")
        ]
        # No build recorded yet: the tables the pages read are there, empty.
        assert con.sql("select count(*) from marts._data_quality").fetchall() == [(0,)]
        assert con.sql("select count(*) from marts._build_status").fetchall() == [(0,)]
    assert served_build(SimpleNamespace(engine="spark", published_dir=published)) == "build-7"


def test_the_builds_data_quality_and_the_email_macro_are_published(spark_dir, tmp_path):
    finished = datetime(2026, 12, 3, 7, 0)
    outcome = Outcome("unique_fct_payments_payment_id", "fct_payments", "warn", "warn", 2, "2")
    record_build(bookkeeping_path(spark_dir), BuildState(True, finished, (outcome,), ()))
    macros = {"normalize_email": (["email"], "nullif(lower(trim(email)), '')")}
    publish_spark_marts(spark_dir, tmp_path / "published", CONTRACTS, macros, build="b")
    with _snapshot(tmp_path / "published") as con:
        assert con.sql("select * from marts._data_quality").fetchall() == [
            ("unique_fct_payments_payment_id", "fct_payments", "warn", "warn", 2, "2", finished)
        ]
        assert con.sql("select * from marts._build_status").fetchall() == [
            ("success", finished, finished, None)
        ]
        assert con.sql("select marts.normalize_email(' A@B ')").fetchall() == [("a@b",)]


@pytest.mark.parametrize("broken", ["a mart without parts", "a contract column not in Parquet"])
def test_a_failing_publish_leaves_the_previous_snapshot(spark_dir, tmp_path, broken):
    published = tmp_path / "published"
    publish_spark_marts(spark_dir, published, CONTRACTS, build="build-1")
    contracts = {**CONTRACTS}
    if broken == "a mart without parts":
        for part in mart_folder(spark_dir, "dim_customers").glob("part-*"):
            part.unlink()
    else:
        contracts["dim_customers"] = {**CONTRACTS["dim_customers"], "email": "varchar"}
    with pytest.raises((FileNotFoundError, duckdb.Error)):
        publish_spark_marts(spark_dir, published, contracts, build="build-2")
    assert [p.name for p in published.iterdir()] == [snapshot_path(published).name]
    with _snapshot(published) as con:
        assert con.sql("select build_id from marts._published").fetchall() == [("build-1",)]
        assert con.sql("select count(*) from marts.dim_customers").fetchall() == [(3,)]


def test_the_spark_transform_holds_the_bookkeeping_files_lock(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGERDESK_SPARK_DIR", str(tmp_path / "spark"))
    settings = SimpleNamespace(engine="spark", warehouse_path=tmp_path / "w.duckdb")
    lock = bookkeeping_path(tmp_path / "spark").with_name(f"{BOOKKEEPING}.lock")
    with transform_lock(settings), open(lock, "a+") as other, pytest.raises(BlockingIOError):
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(lock, "a+") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # let go
