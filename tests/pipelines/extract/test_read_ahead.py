"""Pages read ahead: in order, errors where the reader failed, at most `depth` pages read and
not taken, and the reading thread ended (its pages closed) before a failed run returns."""

from __future__ import annotations

import threading
import time

import pytest

from pipelines.extract import landing as landing_module
from pipelines.extract.read_ahead import read_ahead
from tests.pipelines.extract.test_runner import Crash, FakeReader, run, sale


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


def test_one_ahead_means_one_page_read_and_not_taken():
    served: list[int] = []

    def endless():
        n = 0
        while True:
            n += 1
            served.append(n)
            yield n

    ahead = read_ahead(endless(), depth=1)
    assert next(ahead) == 1
    time.sleep(0.3)  # page 1 in use: page 2 is read, page 3 waits for it to be taken
    assert served == [1, 2]
    assert next(ahead) == 2
    time.sleep(0.3)
    assert served == [1, 2, 3]
    ahead.close()


class ClosingReader(FakeReader):
    """Records whether a listing's pages were still open when the run came back."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.open_listings = 0

    def read(self, entity, since=None):
        self.open_listings += 1
        try:
            yield from super().read(entity, since)
        finally:
            self.open_listings -= 1


def test_a_run_whose_batch_fails_ends_its_reading_thread_before_it_raises(tmp_path, monkeypatch):
    reader = ClosingReader({"sales": [sale(n) for n in range(200)]})  # 20 pages, batches of 3

    def refuse(con, batch):
        raise Crash("disk full")

    monkeypatch.setattr(landing_module, "land_into", refuse)
    with pytest.raises(Crash):
        run(reader, "sales", tmp_path / "w")
    assert reader.open_listings == 0  # the reader may be closed now: nobody is reading
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
    assert len(reader.pages_served) < 20  # it stopped reading, it did not read on to the end
