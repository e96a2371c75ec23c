"""Pre-rendered pages: a list page's bytes kept per (path, query) while the data is unchanged,
so a benchmark measures the client, never the server's rendering."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

PageKey = tuple[str, bytes]  # (path, query string as sent)


class PageCache:
    """At most `max_bytes` of pages (the least recently used go first)."""

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[PageKey, tuple[Hashable, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def get_or_render(self, key: PageKey, version: Hashable, render: Callable[[], bytes]) -> bytes:
        """The page cached for `key` if it was rendered at `version` (e.g. the store's change
        count), else `render()`, kept for next time."""
        with self._lock:
            found = self._pages.get(key)
            if found is not None and found[0] == version:
                self.hits += 1
                self._pages.move_to_end(key)
                return found[1]
        body = render()
        with self._lock:
            old = self._pages.pop(key, None)
            self.size += len(body) - (len(old[1]) if old else 0)
            self._pages[key] = (version, body)
            while self.size > self.max_bytes and len(self._pages) > 1:
                _, (_, dropped) = self._pages.popitem(last=False)
                self.size -= len(dropped)
        return body

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0
