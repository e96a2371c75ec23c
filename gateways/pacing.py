"""Keeping under a gateway's request limits instead of running into them.

Real gateways cap requests, not bytes (Stripe live mode: 25 reads a second per endpoint, 100 in
all). Readers of one account extract several entities side by side and share one `Pacer`,
which spaces requests evenly: at most `per_path` a second to one path and `total` a second in
all, a little under each (HEADROOM) so that a server counting in one-second windows never sees
one too many. A 429 that still comes is retried by the transport (gateways/retry.py).
Thread-safe; a request waits outside the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

HEADROOM = 0.97  # pace at 97% of a limit


@dataclass(frozen=True)
class RateLimits:
    per_path_per_second: float | None  # None: no per-path limit
    total_per_second: float | None  # None: no overall limit


class Pacer:
    def __init__(
        self,
        limits: RateLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = limits
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_total = 0.0
        self._next_path: dict[str, float] = {}

    def wait(self, path: str) -> None:
        """Block until a request to `path` fits under the limits, and book it."""
        path_gap = _gap(self.limits.per_path_per_second)
        total_gap = _gap(self.limits.total_per_second)
        with self._lock:
            now = self._clock()
            at = max(now, self._next_total, self._next_path.get(path, 0.0))
            self._next_total = at + total_gap
            self._next_path[path] = at + path_gap
        if at > now:
            self._sleep(at - now)


def _gap(per_second: float | None) -> float:
    return 0.0 if not per_second else 1.0 / (per_second * HEADROOM)


_SHARED: dict[tuple[str, ...], Pacer] = {}
_SHARED_LOCK = threading.Lock()


def shared_pacer(key: tuple[str, ...], limits: RateLimits) -> Pacer:
    """One pacer per key (gateway, account, server) in this process, so every reader of an
    account takes its turn from the same budget."""
    with _SHARED_LOCK:
        pacer = _SHARED.get(key)
        if pacer is None or pacer.limits != limits:
            pacer = _SHARED[key] = Pacer(limits)
        return pacer
