"""Pages read one ahead: the next page's request goes out while this one's objects are taken.

A listing is sequential (the next page needs this one's last id), so a run that takes a page's
objects between requests leaves its endpoint idle meanwhile: under a per-endpoint limit (Stripe:
25 a second) that time is requests lost. A thread of the run's own reads the pages; the run
takes them in order. An error of the reader is raised where the run asks for that page.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(pages: Iterator[T], depth: int = 1) -> Iterator[T]:
    """`pages`, each fetched while the one before is in use; closed when the caller stops."""
    handed: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for page in pages:
                if not put((page, None)):
                    return
            put((_DONE, None))
        except BaseException as exc:  # raised in the caller, at this page
            put((_DONE, exc))
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
            yield page
    finally:
        stop.set()
        reader.join()
