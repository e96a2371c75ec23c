"""Landing off the fetch threads: the file's one writer, and pages read one ahead."""

from __future__ import annotations

import threading

import pytest

from pipelines.extract import lander as lander_module
from pipelines.extract.landing import landing_writer, read_cursor, warehouse_connection
from pipelines.extract.read_ahead import read_ahead
from pipelines.extract.writer import Writer
from pipelines.lib.warehouse import writer_lock
from tests.pipelines.extract.test_runner import FakeReader, raw, run, sale


def test_jobs_run_in_order_on_one_kept_connection_then_the_lock_is_free(tmp_path):
    path = tmp_path / "w.duckdb"
    with landing_writer(path) as writer:
        futures = [writer.submit(lambda con, n=n: (n, id(con))) for n in range(20)]
        done = [f.result(timeout=30) for f in futures]
        assert [n for n, _ in done] == list(range(20))
        assert len({con for _, con in done}) == 1 and writer.holds == 1
    with writer_lock(path):  # the last user left: the writer let the file go
        pass


def test_whoever_takes_the_lock_after_a_submit_sees_that_job_done(tmp_path):
    path = tmp_path / "w.duckdb"
    started, go_on = threading.Event(), threading.Event()

    def slow(con):
        started.set()
        go_on.wait(30)
        con.execute("create table marks as select 1 as mark")

    with landing_writer(path) as writer:
        writer.submit(slow)  # returns with the writer holding the lock
        assert started.wait(30)
        seen: list = []
        outsider = threading.Thread(target=lambda: seen.extend(_marks(path)))
        outsider.start()
        outsider.join(0.3)
        assert outsider.is_alive(), "took the lock while a submitted job was still running"
        go_on.set()
    outsider.join(30)
    assert seen == [(1,)]


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
    real_land = lander_module.land_into
    waited: list[bool] = []

    def land_once_read_on(con, batch):
        if not waited:
            waited.append(_until(lambda: len(reader.pages_served) >= 6))
        return real_land(con, batch)

    monkeypatch.setattr(lander_module, "land_into", land_once_read_on)
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


def test_read_ahead_keeps_order_raises_where_the_reader_failed_and_stops_early():
    def pages():
        yield from (1, 2, 3)
        raise RuntimeError("page 4 refused")

    got = []
    with pytest.raises(RuntimeError, match="page 4 refused"):
        for page in read_ahead(pages()):
            got.append(page)
    assert got == [1, 2, 3]

    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                n += 1
                yield n
        finally:
            closed.set()

    ahead = read_ahead(endless())
    assert [next(ahead), next(ahead)] == [1, 2]
    ahead.close()  # the caller stops: the reading thread ends and closes the pages
    assert closed.wait(10)
