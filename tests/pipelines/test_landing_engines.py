"""Every engine's landing equals DuckDB's (issue 16), one scenario for PostgreSQL and Spark
(tests/pipelines/landing_engines.py): newest version wins, quarantine, listing marks, pruning
and the cursor; a failing batch commits nothing; an object holding U+0000 is quarantined alike
and the rest of its batch lands. The engines' own cases (PostgreSQL's raw copy, Spark's
crashes, compaction and copy) are in test_postgres_landing.py and tests/spark/."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.extract import landing
from pipelines.extract.batch import NUL_REASON
from pipelines.extract.landing import LandingCounts
from tests.pipelines.landing_engines import (
    batch,
    charge,
    duck_rows,
    engine_under_test,
    land_both,
)

ENGINES = ("postgres", "spark")


@pytest.fixture(params=ENGINES)
def engine(request, tmp_path):
    with engine_under_test(request.param, request, tmp_path) as under_test:
        yield under_test


def test_landing_equals_duckdb(engine, tmp_path):
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = batch(cursor={"after": "ch_2"})
    first.add(charge("ch_1", 100), 100)
    first.add(charge("ch_2", 200), 100)
    first.add_quarantined({"id": "ch_3", "amount": "not a number"}, "amount: not an int")
    assert land_both(duck, engine, first) == LandingCounts(inserted=2, quarantined=1)
    assert engine.read_cursor() == {"after": "ch_2"}

    # A changed payload wins; an older version arriving later does not; a quarantined
    # object landing clean leaves the quarantine.
    second = batch(cursor={"after": "ch_3"})
    second.add(charge("ch_1", 150), 200)
    second.add(charge("ch_2", 999), 50)
    second.add(charge("ch_3", 300), 100)
    assert land_both(duck, engine, second) == LandingCounts(inserted=1, updated=1, unchanged=1)
    rows = {r[1]: r for r in engine.rows()["raw"]}
    assert (rows["ch_1"][3]["amount"], rows["ch_1"][5]) == (150, 200)
    assert (rows["ch_2"][3]["amount"], rows["ch_2"][5]) == (200, 100)
    assert engine.rows()["quarantine"] == []

    # A full listing that saw ch_1 and a quarantined ch_3: ch_2 (version 100 < its start)
    # goes, ch_3 keeps its row with the listing's mark.
    listing = batch(listed_at=300, prune_before=300, cursor={"after": None})
    listing.add(charge("ch_1", 150), 200)
    listing.add_quarantined({"id": "ch_3", "amount": None}, "amount: null")
    assert land_both(duck, engine, listing) == LandingCounts(unchanged=1, quarantined=1, removed=1)
    assert [(r[1], r[6]) for r in engine.rows()["raw"]] == [("ch_1", 300), ("ch_3", 300)]

    # A second listing that saw both, clean: nothing goes, ch_3 leaves the quarantine.
    again = batch(listed_at=400, prune_before=400, cursor={"after": None})
    again.add(charge("ch_1", 150), 200)
    again.add(charge("ch_3", 300), 100)
    assert land_both(duck, engine, again) == LandingCounts(unchanged=2)
    assert engine.rows()["quarantine"] == []

    # A failing batch (a payload that is not JSON) commits neither its rows nor its cursor.
    before = engine.rows()
    failing = batch(cursor={"after": "ch_9"})
    failing.add(charge("ch_9", 900), 400)
    failing.payloads[0] = "{not json"
    with pytest.raises(duckdb.Error):
        landing.land_into(duck, failing)
    with pytest.raises(engine.failure):
        engine.land(failing)
    assert engine.rows() == before == duck_rows(duck)
    assert engine.read_cursor() == {"after": None}
    duck.close()


def test_an_object_holding_nul_is_quarantined_alike_and_the_batch_lands(engine, tmp_path):
    """jsonb refuses U+0000: without the rule the whole batch (and every retry) would fail on
    PostgreSQL, its cursor never moving; with it the object is quarantined on every engine,
    its raw text kept, and the rest lands. A backslash followed by `u0000` is plain text."""
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    landing_batch = batch(cursor={"after": "ch_3"})
    assert landing_batch.add({**charge("ch_1", 100), "description": "a\x00b"}, 100) == NUL_REASON
    assert landing_batch.add({**charge("ch_2", 200), "description": "C:\\u0000"}, 100) is None
    assert landing_batch.add(charge("ch_3", 300), 100) is None
    assert land_both(duck, engine, landing_batch) == LandingCounts(inserted=2, quarantined=1)
    rows = engine.rows()
    assert [(r[1], r[3].get("description")) for r in rows["raw"]] == [
        ("ch_2", "C:\\u0000"),
        ("ch_3", None),
    ]
    assert [(q[3], q[4], json.loads(q[5])["description"]) for q in rows["quarantine"]] == [
        ("ch_1", NUL_REASON, "a\x00b")
    ]
    assert engine.read_cursor() == {"after": "ch_3"}
    duck.close()
