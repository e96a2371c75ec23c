"""Pages read ahead: the next page's request goes out while this one's objects are taken.

A listing is sequential (the next page needs this one's last id), so a run that takes a page's
objects between requests leaves its endpoint idle meanwhile: under a per-endpoint limit (Stripe:
25 a second) that time is requests lost. A thread of the run's own reads the pages; the run
takes them in order. An error of the reader is raised where the run asks for that page.

At most `depth` pages are read and not yet taken (a request starts only when a slot is free).
Closing the generator (the caller stops, or fails: wrap it in `contextlib.closing`) tells the
thread to stop before its next request and waits up to JOIN_SECONDS for a request under way
to end; the thread closes the pages it read, so the reader can be closed after.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
POLL_SECONDS = 0.1  # the thread looks at the stop signal this often while waiting for a slot
JOIN_SECONDS = 120.0  # a request under way when the caller stops: its timeout bounds it


def read_ahead(pages: Iterator[T], depth: int = 1) -> Iterator[T]:
    """`pages`, up to `depth` fetched ahead of the one in use; the thread ends on close."""
    handed: queue.Queue = queue.Queue()
    slots = threading.Semaphore(depth)
    stop = threading.Event()

    def slot() -> bool:
        while not stop.is_set():
            if slots.acquire(timeout=POLL_SECONDS):
                return not stop.is_set()
        return False

    def produce() -> None:
        try:
            while slot():
                try:
                    page = next(pages)
                except StopIteration:
                    break
                handed.put((page, None))
            handed.put((_DONE, None))
        except BaseException as exc:  # raised in the caller, at this page
            handed.put((_DONE, exc))
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=produce, name="read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            page, error = handed.get()
            if error is not None:
                raise error
            if page is _DONE:
                return
            slots.release()
            yield page
    finally:
        stop.set()
        reader.join(JOIN_SECONDS)
