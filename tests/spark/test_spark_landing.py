"""Spark's own landing cases (the scenario it shares with PostgreSQL, compared with DuckDB's
landing, is tests/pipelines/test_landing_engines.py): a batch whose file is written but
whose commit fails leaves nothing visible, to the landing or to dbt's Spark view, and a rerun
resumes; compaction keeps the rows; the DuckDB -> Spark copy equals its source. No JVM: the
landing is pyarrow (pipelines/extract/engines/spark.py); what dbt's session reads is computed
here from the folder as macros/spark.sql's view reads it."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.extract import landing
from pipelines.extract.engines import spark
from pipelines.extract.landing import LandingCounts
from tests.pipelines.landing_engines import (
    ACCOUNT,
    RAW,
    SparkUnderTest,
    batch,
    charge,
    duck_rows,
    land_both,
)


def as_spark_reads(directory, table: str = RAW) -> list[tuple]:
    """(id, amount) of the table as dbt's session reads it (macros/spark.sql,
    spark__register_raw_tables): every Parquet file of the table's folder (Spark lists the
    folder, not the manifest; it skips names starting with "." or "_"), the row versions
    whose _seq is between the table's base_seq and the manifest's seq, per (account_id, id)
    the one of the highest _seq, unless deleted. Two versions of one key at the same seq are
    an error (Spark would pick either)."""
    import orjson

    root = directory / "raw"
    manifest = orjson.loads((root / spark.MANIFEST).read_bytes())
    base_seq = manifest["tables"][table]["base_seq"]
    folder = root / table.replace(".", "/")
    newest: dict[tuple, dict] = {}
    for path in folder.iterdir():
        if path.name.startswith((".", "_")):
            continue
        for row in pq.read_table(path).to_pylist():
            if not base_seq <= row["_seq"] <= manifest["seq"]:
                continue
            key = (row["account_id"], row["id"])
            held = newest.get(key)
            assert held is None or held["_seq"] != row["_seq"], f"{key}: two versions at one seq"
            if held is None or row["_seq"] > held["_seq"]:
                newest[key] = row
    return sorted(
        (row["id"], orjson.loads(row["payload"])["amount"])
        for row in newest.values()
        if not row["_deleted"]
    )


def _crash(self, manifest):
    raise OSError("disk gone")


def test_a_batch_whose_commit_fails_leaves_nothing_and_a_rerun_resumes(tmp_path, monkeypatch):
    """A crash before the manifest's rename: nothing of the batch is visible, its file is
    removed by the next writer, and the rerun lands it (as DuckDB lands it)."""
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    directory = tmp_path / "spark"
    engine = SparkUnderTest(directory)
    first = batch(cursor={"after": "ch_1"})
    first.add(charge("ch_1", 100), 100)
    land_both(duck, engine, first)
    before = engine.rows()

    crashing = batch(cursor={"after": "ch_4"})
    crashing.add(charge("ch_4", 400), 500)
    crashing.add(charge("ch_1", 175), 600)
    with spark.open_store(directory) as store:
        files_before = sorted(p.name for p in (directory / "raw").rglob("*.parquet"))
        seq_before = store.seq
        with monkeypatch.context() as patch:
            patch.setattr(spark.SparkStore, "commit", _crash)
            with pytest.raises(OSError):
                spark.land_into_spark(store, crashing)
    with spark.open_store(directory) as store:  # a new writer: the orphan is gone
        assert store.seq == seq_before
        assert sorted(p.name for p in (directory / "raw").rglob("*.parquet")) == files_before
    assert engine.rows() == before
    assert engine.read_cursor() == {"after": "ch_1"}
    assert land_both(duck, engine, crashing) == LandingCounts(inserted=1, updated=1)
    assert engine.read_cursor() == {"after": "ch_4"}
    assert as_spark_reads(directory) == [("ch_1", 175), ("ch_4", 400)]
    duck.close()


def test_a_failed_batch_is_never_seen_by_a_later_commit_of_the_same_writer(tmp_path, monkeypatch):
    """The failed batch's file carries the seq it was given; the same store landing the next
    batch must not commit a seq range that covers that file (Spark's view reads the folder):
    the orphan is removed before the next seq is allocated, so dbt sees exactly what the
    landing committed. (The writer of pipelines/extract/writer.py reopens the store after a
    failed job, which hid this; the store keeps the rule itself.)"""
    directory = tmp_path / "spark"
    with spark.open_store(directory) as store:
        first = batch(cursor=1)
        first.add(charge("ch_1", 100), 100)
        spark.land_into_spark(store, first)
        crashing = batch(cursor=2)
        crashing.add(charge("ch_1", 175), 600)
        crashing.add(charge("ch_4", 400), 500)
        with monkeypatch.context() as patch:
            patch.setattr(spark.SparkStore, "commit", _crash)
            with pytest.raises(OSError):
                spark.land_into_spark(store, crashing)
        after = batch(cursor=3)
        after.add(charge("ch_5", 500), 700)
        spark.land_into_spark(store, after)
        listed = {f for entry in store.manifest["tables"].values() for f in entry["files"]}
        on_disk = {p.relative_to(store.root).as_posix() for p in store.root.rglob("*.parquet")}
    assert as_spark_reads(directory) == [("ch_1", 100), ("ch_5", 500)]
    assert on_disk == listed
    assert SparkUnderTest(directory).read_cursor() == 3


def test_compaction_keeps_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(spark, "MAX_FILES", 3)
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    directory = tmp_path / "spark"
    for n in range(8):
        landing_batch = batch(cursor={"n": n})
        landing_batch.add(charge(f"ch_{n % 3}", n), n)
        landing_batch.add(charge(f"ch_new_{n}", n), n)
        land_both(duck, SparkUnderTest(directory), landing_batch)
    with spark.open_store(directory) as store:
        entry = store.table_entry(RAW)
        assert len(entry["files"]) <= 3 and entry["base_seq"] > 0
        on_disk = {p.relative_to(store.root).as_posix() for p in store.root.rglob("*.parquet")}
        assert on_disk == set(entry["files"])
    duck.close()


def test_oldest_open_created(tmp_path):
    directory = tmp_path / "spark"
    balance = batch("balance_transactions")
    for n, status in enumerate(["available", "pending", "pending"]):
        balance.add({"id": f"txn_{n}", "created": 100 - n, "status": status}, 1)
    with spark.open_store(directory) as store:
        spark.land_into_spark(store, balance)
        args = ("stripe", ACCOUNT, "balance_transactions", "status")
        assert spark.oldest_open_created(store, *args, ("pending",)) == 98
        assert spark.oldest_open_created(store, *args, ("refused",)) is None


def test_copy_from_duckdb_equals_source(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duck = duckdb.connect(str(warehouse))
    charges = batch(cursor={"after": "ch_2"}, listed_at=10)
    charges.add(charge("ch_1", 100), 100)
    charges.add(charge("ch_2", 200), 100)
    charges.add_quarantined({"id": "ch_3"}, "missing amount")
    landing.land_into(duck, charges)
    refunds = batch("refunds", cursor=7)
    refunds.add({"id": "re_1", "created": 5, "amount": 1}, 5)
    landing.land_into(duck, refunds)
    source = {table: duck_rows(duck, table) for table in (RAW, "raw_stripe.refunds")}
    duck.close()

    directory = tmp_path / "spark"
    for _ in range(2):  # re-running gives the same rows
        copied = spark.copy_from_duckdb(warehouse, directory)
        assert copied == {RAW: 2, "raw_stripe.refunds": 1}
        for table, rows in source.items():
            assert SparkUnderTest(directory).rows(table) == rows, table
