"""Landing off the fetch threads: the file's one writer, and pages read one ahead."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from pipelines.extract import landing as landing_module
from pipelines.extract.landing import landing_writer, read_cursor, warehouse_connection
from pipelines.extract.writer import Writer
from pipelines.lib.warehouse import writer_lock
from tests.pipelines.extract.test_runner import FakeReader, raw, run, sale


def test_jobs_run_in_order_on_one_kept_connection_then_the_lock_is_free(tmp_path):
    path = tmp_path / "w.duckdb"
    go_on, ran = threading.Event(), []

    def job(n):
        return lambda con: (n == 0 and go_on.wait(30), ran.append(n), id(con))[-1]

    with landing_writer(path) as writer:
        futures = [writer.submit(job(n)) for n in range(20)]
        go_on.set()  # the other 19 were all queued behind the first
        connections = {f.result(timeout=30) for f in futures}
        assert ran == list(range(20))
        assert len(connections) == 1 and writer.holds == 1
    with writer_lock(path):  # the last user left: the writer let the file go
        pass


def test_submit_returns_while_another_process_holds_the_lock(tmp_path):
    path = tmp_path / "w.duckdb"
    with landing_writer(path) as writer:
        with writer_lock(path):  # as another process's hold would
            future = writer.submit(lambda con: con.execute("select 1").fetchall())
            assert not future.done()  # queued, and this thread goes on meanwhile
        assert future.result(timeout=30) == [(1,)]


def test_an_outsider_taking_the_lock_sees_each_queued_job_whole_or_not_begun(tmp_path):
    """Two jobs of two rows each, written a pause apart, queued behind a first one while the
    writer lets the lock go every 0.05 s of holding: an outsider taking the lock in between
    never sees a job's first row without its second, nor a later job before an earlier."""
    path = tmp_path / "w.duckdb"
    with warehouse_connection(path) as con:
        con.execute("create table marks (job integer, row_no integer)")

    def job(n):
        def write(con):
            con.begin()
            con.execute("insert into marks values (?, 1)", [n])
            time.sleep(0.1)
            con.execute("insert into marks values (?, 2)", [n])
            con.commit()

        return write

    writer = Writer(path, lambda p: duckdb.connect(str(p)), max_hold_seconds=0.05)
    seen: set[tuple] = set()
    try:
        futures = [writer.submit(job(n)) for n in (1, 2, 3)]
        while not all(f.done() for f in futures):
            with writer_lock(path), duckdb.connect(str(path)) as con:
                seen.add(tuple(con.execute("select * from marks order by all").fetchall()))
            time.sleep(0.01)  # flock is not fair: let the writer have its turn
        for f in futures:
            f.result(timeout=30)
        assert writer.holds >= 2  # it did let the lock go with a job still queued
    finally:
        writer.stop()
    whole = [(n, r) for n in (1, 2, 3) for r in (1, 2)]
    assert seen <= {tuple(whole[:k]) for k in (0, 2, 4, 6)}, seen


def _marks(path):
    with warehouse_connection(path) as con:
        return con.execute("select mark from marks").fetchall()


def test_a_failing_job_fails_alone_and_the_next_gets_a_fresh_connection(tmp_path):
    path = tmp_path / "w.duckdb"
    with landing_writer(path) as writer:
        failing = writer.submit(lambda con: con.execute("select * from no_such_table"))
        with pytest.raises(Exception, match="no_such_table"):
            failing.result(timeout=30)
        assert writer.call(lambda con: con.execute("select 41 + 1").fetchall()) == [(42,)]
        assert writer.holds == 2


def test_the_lock_goes_after_an_idle_spell_while_the_writer_lives(tmp_path):
    path = tmp_path / "w.duckdb"
    writer = Writer(path, lambda p: __import__("duckdb").connect(), idle_seconds=0.05)
    try:
        writer.call(lambda con: None)
        with writer_lock(path):  # would wait forever if the writer kept the lock while idle
            pass
        writer.call(lambda con: None)
        assert writer.holds == 2
    finally:
        writer.stop()


def test_the_listing_reads_on_while_its_batch_lands(tmp_path, monkeypatch):
    """The first batch (pages 1-3) lands only once the run has read the pages of the second
    (page 6): were landing on the fetch thread, no page past the 4th (one read ahead) could
    be read meanwhile, and the batch would wait in vain."""
    sales = [sale(n) for n in range(120)]  # pages of 10, batches of 25 (3 pages each)
    reader = FakeReader({"sales": sales})
    real_land = landing_module.land_into
    waited: list[bool] = []

    def land_once_read_on(con, batch):
        if not waited:
            waited.append(_until(lambda: len(reader.pages_served) >= 6))
        return real_land(con, batch)

    monkeypatch.setattr(landing_module, "land_into", land_once_read_on)
    result = run(reader, "sales", tmp_path / "w")
    assert waited == [True]
    assert raw(tmp_path / "w", "sales") == {("main", s["key"]): s for s in sales}
    assert result.inserted == 120 and result.cursor["resume"] is None
    assert read_cursor(tmp_path / "w", "acme", "main", "sales")["resume"] is None


def _until(condition, seconds: float = 10.0) -> bool:
    done = threading.Event()
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        done.wait(0.01)
    return False


def test_a_failed_batch_stops_its_run_before_anything_after_it_lands(tmp_path, monkeypatch):
    sales = [sale(n) for n in range(120)]  # batches of 25: the first fails, none after lands
    real_land, calls = landing_module.land_into, []

    def first_fails(con, batch):
        calls.append(len(batch))
        if len(calls) == 1:
            time.sleep(0.2)  # the run reads on meanwhile
            raise RuntimeError("batch 1 refused")
        return real_land(con, batch)

    monkeypatch.setattr(landing_module, "land_into", first_fails)
    with pytest.raises(RuntimeError, match="batch 1 refused"):
        run(FakeReader({"sales": sales}), "sales", tmp_path / "w")
    assert calls == [30]  # pages of 10: a batch is handed over once it holds 25 or more
    assert read_cursor(tmp_path / "w", "acme", "main", "sales") is None
