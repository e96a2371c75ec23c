"""Spark landing equals DuckDB landing: the same batches land in both (newest version wins,
quarantine, listing marks, pruning, cursor) and the whole raw, quarantine and cursor tables
are compared row by row; a batch that fails, before or after its file is written, leaves rows
and cursor unchanged and a rerun resumes; the DuckDB -> Spark copy equals its source. No JVM:
the landing is pyarrow (pipelines/extract/engines/spark.py)."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.extract import landing
from pipelines.extract.batch import LandingBatch
from pipelines.extract.engines import spark
from pipelines.extract.landing import LandingCounts

ACCOUNT = "acct_1"
RAW = "raw_stripe.charges"


def _charge(object_id: str, amount: int) -> dict:
    return {"id": object_id, "object": "charge", "created": 1_700_000_000, "amount": amount}


def _batch(entity: str = "charges", **kwargs) -> LandingBatch:
    return LandingBatch("stripe", ACCOUNT, entity, **kwargs)


def _duck_rows(con, table: str = RAW) -> dict[str, list[tuple]]:
    raw = con.sql(
        f"select account_id, id, created, payload::varchar, payload_hash, version_at,"
        f" listed_at from {table} order by account_id, id"
    ).fetchall()
    quarantine = con.sql(
        "select gateway, account_id, entity, object_id, reason, raw_text, raw_hash"
        " from ledgerdesk.quarantine order by raw_hash"
    ).fetchall()
    cursors = con.sql(
        "select gateway, account_id, entity, cursor::varchar from ledgerdesk.cursors"
        " order by gateway, account_id, entity"
    ).fetchall()
    return {
        "raw": [(*r[:3], json.loads(r[3]), *r[4:]) for r in raw],
        "quarantine": [tuple(q) for q in quarantine],
        "cursors": [(*c[:3], json.loads(c[3])) for c in cursors],
    }


def _spark_rows(directory, table: str = RAW) -> dict[str, list[tuple]]:
    with spark.open_store(directory) as store:
        raw = store.rows(table).to_pylist()
        return {
            "raw": [
                (
                    r["account_id"],
                    r["id"],
                    r["created"],
                    json.loads(r["payload"]),
                    r["payload_hash"],
                    r["version_at"],
                    r["listed_at"],
                )
                for r in raw
            ],
            "quarantine": spark.quarantine_rows(store),
            "cursors": [tuple(c) for c in spark.cursor_rows(store)],
        }


def _land_both(duck, directory, batch: LandingBatch) -> LandingCounts:
    duck_counts = landing.land_into(duck, batch)
    with spark.open_store(directory) as store:
        spark_counts = spark.land_into_spark(store, batch)
    assert spark_counts == duck_counts
    assert _spark_rows(directory) == _duck_rows(duck)
    return spark_counts


def test_spark_landing_equals_duckdb(tmp_path, monkeypatch):
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    directory = tmp_path / "spark"
    first = _batch(cursor={"after": "ch_2"})
    first.add(_charge("ch_1", 100), 100)
    first.add(_charge("ch_2", 200), 100)
    first.add_quarantined({"id": "ch_3", "amount": "not a number"}, "amount: not an int")
    assert _land_both(duck, directory, first) == LandingCounts(inserted=2, quarantined=1)
    with spark.open_store(directory) as store:
        assert spark.read_cursor(store, "stripe", ACCOUNT, "charges") == {"after": "ch_2"}

    # A changed payload wins; an older version arriving later does not; a quarantined
    # object landing clean leaves the quarantine.
    second = _batch(cursor={"after": "ch_3"})
    second.add(_charge("ch_1", 150), 200)
    second.add(_charge("ch_2", 999), 50)
    second.add(_charge("ch_3", 300), 100)
    assert _land_both(duck, directory, second) == LandingCounts(inserted=1, updated=1, unchanged=1)
    rows = {r[1]: r for r in _spark_rows(directory)["raw"]}
    assert (rows["ch_1"][3]["amount"], rows["ch_1"][5]) == (150, 200)
    assert (rows["ch_2"][3]["amount"], rows["ch_2"][5]) == (200, 100)
    assert _spark_rows(directory)["quarantine"] == []

    # A full listing that saw ch_1 and a quarantined ch_3: ch_2 (version 100 < its start) goes.
    listing = _batch(listed_at=300, prune_before=300, cursor={"after": None})
    listing.add(_charge("ch_1", 150), 200)
    listing.add_quarantined({"id": "ch_3", "amount": None}, "amount: null")
    assert _land_both(duck, directory, listing) == LandingCounts(
        unchanged=1, quarantined=1, removed=1
    )
    assert [(r[1], r[6]) for r in _spark_rows(directory)["raw"]] == [
        ("ch_1", 300),
        ("ch_3", 300),
    ]

    # A failing batch (bad JSON) commits neither its rows nor its cursor.
    before = _spark_rows(directory)
    failing = _batch(cursor={"after": "ch_9"})
    failing.add(_charge("ch_9", 900), 400)
    failing.payloads[0] = "{not json"
    with pytest.raises(duckdb.Error):
        landing.land_into(duck, failing)
    with spark.open_store(directory) as store, pytest.raises(ValueError):
        spark.land_into_spark(store, failing)
    assert _spark_rows(directory) == before == _duck_rows(duck)

    # A batch whose file is written but whose commit fails (a crash before the manifest's
    # rename): nothing of it is visible, its file is removed, and the rerun lands it.
    crashing = _batch(cursor={"after": "ch_4"})
    crashing.add(_charge("ch_4", 400), 500)
    crashing.add(_charge("ch_1", 175), 600)

    def crash(self, manifest):
        raise OSError("disk gone")

    with spark.open_store(directory) as store:
        files_before = sorted(p.name for p in (directory / "raw").rglob("*.parquet"))
        seq_before = store.seq
        with monkeypatch.context() as patch:
            patch.setattr(spark.SparkStore, "commit", crash)
            with pytest.raises(OSError):
                spark.land_into_spark(store, crashing)
    with spark.open_store(directory) as store:  # a new writer: the orphan is gone
        assert store.seq == seq_before
        assert sorted(p.name for p in (directory / "raw").rglob("*.parquet")) == files_before
        assert spark.read_cursor(store, "stripe", ACCOUNT, "charges") == {"after": None}
    assert _spark_rows(directory) == before
    assert _land_both(duck, directory, crashing) == LandingCounts(inserted=1, updated=1)
    with spark.open_store(directory) as store:
        assert spark.read_cursor(store, "stripe", ACCOUNT, "charges") == {"after": "ch_4"}
    duck.close()


def test_compaction_keeps_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(spark, "MAX_FILES", 3)
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    directory = tmp_path / "spark"
    for n in range(8):
        batch = _batch(cursor={"n": n})
        batch.add(_charge(f"ch_{n % 3}", n), n)
        batch.add(_charge(f"ch_new_{n}", n), n)
        _land_both(duck, directory, batch)
    with spark.open_store(directory) as store:
        entry = store.table_entry(RAW)
        assert len(entry["files"]) <= 3 and entry["base_seq"] > 0
        on_disk = {p.relative_to(store.root).as_posix() for p in store.root.rglob("*.parquet")}
        assert on_disk == set(entry["files"])
    duck.close()


def test_oldest_open_created(tmp_path):
    directory = tmp_path / "spark"
    batch = _batch("balance_transactions")
    for n, status in enumerate(["available", "pending", "pending"]):
        batch.add({"id": f"txn_{n}", "created": 100 - n, "status": status}, 1)
    with spark.open_store(directory) as store:
        spark.land_into_spark(store, batch)
        args = ("stripe", ACCOUNT, "balance_transactions", "status")
        assert spark.oldest_open_created(store, *args, ("pending",)) == 98
        assert spark.oldest_open_created(store, *args, ("refused",)) is None


def test_copy_from_duckdb_equals_source(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duck = duckdb.connect(str(warehouse))
    charges = _batch(cursor={"after": "ch_2"}, listed_at=10)
    charges.add(_charge("ch_1", 100), 100)
    charges.add(_charge("ch_2", 200), 100)
    charges.add_quarantined({"id": "ch_3"}, "missing amount")
    landing.land_into(duck, charges)
    refunds = _batch("refunds", cursor=7)
    refunds.add({"id": "re_1", "created": 5, "amount": 1}, 5)
    landing.land_into(duck, refunds)
    source = {RAW: _duck_rows(duck), "raw_stripe.refunds": _duck_rows(duck, "raw_stripe.refunds")}
    duck.close()

    directory = tmp_path / "spark"
    for _ in range(2):  # re-running gives the same rows
        copied = spark.copy_from_duckdb(warehouse, directory)
        assert copied == {RAW: 2, "raw_stripe.refunds": 1}
        for table, rows in source.items():
            assert _spark_rows(directory, table) == rows, table
