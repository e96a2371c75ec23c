"""Landing batches into a real DuckDB file: upsert rules, quarantine, cursor, one transaction."""

from __future__ import annotations

import multiprocessing
import time

import duckdb
import orjson
import pytest

from pipelines.extract.batch import LandingBatch, payload_hash
from pipelines.extract.landing import land_batch, read_cursor, warehouse_connection


def charge(i: int, amount: int = 1000) -> dict:
    return {"id": f"ch_{i}", "object": "charge", "created": 1_700_000_000 + i, "amount": amount}


def batch(objects, version_at, cursor=None) -> LandingBatch:
    b = LandingBatch("stripe", "acct", "charges", cursor=cursor)
    for obj in objects:
        b.add(obj, version_at)
    return b


def rows(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            r[0]: (orjson.loads(r[1]), r[2], r[3])
            for r in con.execute(
                "select id, payload::varchar, payload_hash, version_at from raw_stripe.charges"
            ).fetchall()
        }
    finally:
        con.close()


def test_first_batch_inserts_every_row_whole(tmp_path):
    path = tmp_path / "w.duckdb"
    objects = [charge(i) for i in range(50)]
    counts = land_batch(path, batch(objects, 100, cursor={"c": 1}))
    assert (counts.inserted, counts.updated, counts.unchanged) == (50, 0, 0)
    landed = rows(path)
    assert {k: v[0] for k, v in landed.items()} == {o["id"]: o for o in objects}
    assert all(h == payload_hash(orjson.dumps(p)) for p, h, _ in landed.values())
    assert read_cursor(path, "stripe", "acct", "charges") == {"c": 1}


def test_newest_version_wins_and_unchanged_rows_are_not_rewritten(tmp_path):
    path = tmp_path / "w.duckdb"
    land_batch(path, batch([charge(i) for i in range(4)], 100))
    again = land_batch(path, batch([charge(i) for i in range(4)], 200))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    assert {v[2] for v in rows(path).values()} == {100}  # same payload: version not bumped

    older = land_batch(path, batch([charge(0, amount=1)], 99))
    assert older.updated == 0 and rows(path)["ch_0"][0]["amount"] == 1000
    newer = land_batch(path, batch([charge(1, amount=2)], 150))
    assert newer.updated == 1 and rows(path)["ch_1"][0]["amount"] == 2


def test_within_a_batch_the_newest_version_of_an_id_wins():
    b = LandingBatch("stripe", "acct", "charges")
    b.add(charge(1, amount=5), 10)
    b.add(charge(1, amount=7), 12)
    b.add(charge(1, amount=6), 11)
    assert len(b.ids) == 1 and orjson.loads(b.payloads[0])["amount"] == 7


def test_quarantine_then_clean_version_clears_it(tmp_path):
    path = tmp_path / "w.duckdb"
    b = batch([charge(1)], 100)
    b.add_quarantined({**charge(2), "amount": "10.00"}, "charges ch_2: amount is str")
    b.add_quarantined({**charge(2), "amount": "10.00"}, "charges ch_2: amount is str")
    assert land_batch(path, b).quarantined == 2
    with warehouse_connection(path) as con:
        entries = con.execute("select object_id, reason from ledgerdesk.quarantine").fetchall()
    assert entries == [("ch_2", "charges ch_2: amount is str")]  # same raw text: one entry

    land_batch(path, batch([charge(2)], 101))
    with warehouse_connection(path) as con:
        assert con.execute("select count(*) from ledgerdesk.quarantine").fetchall() == [(0,)]
    assert "ch_2" in rows(path)


def test_a_failing_batch_writes_nothing_not_even_its_cursor(tmp_path):
    path = tmp_path / "w.duckdb"
    land_batch(path, batch([charge(1)], 100, cursor={"step": 1}))
    bad = batch([charge(2)], 100, cursor={"step": 2})
    bad.created[0] = None  # violates NOT NULL inside the transaction
    with pytest.raises(duckdb.Error):
        land_batch(path, bad)
    assert set(rows(path)) == {"ch_1"}
    assert read_cursor(path, "stripe", "acct", "charges") == {"step": 1}


def test_a_batch_whose_cursor_cannot_be_saved_lands_none_of_its_rows(tmp_path):
    path = tmp_path / "w.duckdb"
    land_batch(path, batch([charge(1)], 100, cursor={"step": 1}))
    with pytest.raises(TypeError):  # a set is no JSON: the cursor fails after the rows
        land_batch(path, batch([charge(2)], 100, cursor={"step": {2}}))
    assert set(rows(path)) == {"ch_1"}
    assert read_cursor(path, "stripe", "acct", "charges") == {"step": 1}


def _hold_lock(path, seconds, ready):
    with warehouse_connection(path):
        ready.set()
        time.sleep(seconds)


def test_writers_in_other_processes_take_turns(tmp_path):
    path = tmp_path / "w.duckdb"
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(path, 1.0, ready))
    holder.start()
    try:
        assert ready.wait(30)
        # Without the lock this would fail with DuckDB's "Could not set lock on file".
        counts = land_batch(path, batch([charge(1)], 100))
        assert counts.inserted == 1
    finally:
        holder.join(30)
    assert holder.exitcode == 0


def test_the_end_of_a_full_listing_removes_what_it_did_not_see_but_not_what_landed_since(
    tmp_path,
):
    path = tmp_path / "w.duckdb"
    land_batch(path, batch([charge(i) for i in range(6)], 100))  # an earlier run
    seen = batch([charge(0), charge(1)], 500)
    seen.listed_at = 400  # a full listing that began at 400 saw ch_0 and ch_1 ...
    land_batch(path, seen)
    land_batch(path, batch([charge(2, amount=9)], 450))  # ... an event re-read ch_2 at 450
    last = batch([charge(3)], 500, cursor={"done": True})
    last.listed_at = last.prune_before = 400  # ... and its last batch saw ch_3
    counts = land_batch(path, last)
    assert counts.removed == 2  # ch_4 and ch_5: not listed, and nothing newer since
    assert set(rows(path)) == {"ch_0", "ch_1", "ch_2", "ch_3"}
    with warehouse_connection(path) as con:
        listed = dict(con.execute("select id, listed_at from raw_stripe.charges").fetchall())
    assert listed == {"ch_0": 400, "ch_1": 400, "ch_2": None, "ch_3": 400}


def test_a_raw_table_from_before_listed_at_gains_the_column(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse_connection(path) as con:
        con.execute(
            "create schema raw_stripe; create table raw_stripe.charges (account_id varchar not"
            " null, id varchar not null, created bigint not null, payload json not null,"
            " payload_hash varchar not null, version_at bigint not null, synced_at timestamptz"
            " not null, primary key (account_id, id))"
        )
    b = batch([charge(1)], 100)
    b.listed_at = b.prune_before = 100
    assert land_batch(path, b).inserted == 1
    assert set(rows(path)) == {"ch_1"}
