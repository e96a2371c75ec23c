"""Keeping under a gateway's request limits instead of running into them.

Real gateways cap requests, not bytes (Stripe live mode: 25 reads a second per endpoint, 100 in
all). Readers of one account extract several entities side by side and share one `Pacer`,
which spaces requests evenly: at most `per_path` a second to one path and `total` a second in
all, a little under each (HEADROOM) so that a server counting in one-second windows never sees
one too many. A 429 that still comes is retried by the transport (gateways/retry.py).
Thread-safe; a request waits outside the lock.

The budget is the account's, not the process's: `shared_pacer` books every request in a small
state file per (gateway, account, server) under `flock`, so the extraction processes of one
run (a process per gateway, or several) and parallel runs on the machine all take their turn
from the same limits. Machines that extract the same account at once need a budget shared
between them (docs/deploy.md); on one machine the kernel frees a lock when its holder dies,
so a killed run never blocks the next. Times are CLOCK_MONOTONIC (one clock for every process
of the machine); a booking further ahead than STALE_SECONDS (the clock restarted at a reboot)
is ignored.
"""

from __future__ import annotations

import bisect
import fcntl
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

HEADROOM = 0.97  # pace at 97% of a limit
STALE_SECONDS = 120.0  # a booked time further ahead than this is left over from another boot
PACER_DIR_ENV = "LEDGERDESK_PACER_DIR"  # where the shared state files go (default: the temp dir)


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
        state_path: Path | None = None,
    ) -> None:
        """`state_path`: book in this file, shared by every process that names it (the clock
        must then be one for all of them: time.monotonic)."""
        self.limits = limits
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._booked: list[float] = []  # requests' times, sorted, within a gap of now on
        self._next_path: dict[str, float] = {}
        self._state_fd = None
        if state_path is not None:
            state_path.parent.mkdir(parents=True, exist_ok=True)
            self._state_fd = os.open(state_path, os.O_RDWR | os.O_CREAT, 0o600)

    def wait(self, path: str) -> None:
        """Block until a request to `path` fits under the limits, and book it."""
        with self._lock:  # threads of this process; flock below orders the processes
            if self._state_fd is None:
                now, at = self._book(path)
            else:
                fcntl.flock(self._state_fd, fcntl.LOCK_EX)
                try:
                    self._load()
                    now, at = self._book(path)
                    self._save()
                finally:
                    fcntl.flock(self._state_fd, fcntl.LOCK_UN)
        if at > now:
            self._sleep(at - now)

    def close(self) -> None:
        if self._state_fd is not None:
            os.close(self._state_fd)
            self._state_fd = None

    def _book(self, path: str) -> tuple[float, float]:
        """The earliest time, from now, that both limits leave free for a request to `path`.
        Bookings are a calendar, not a queue: a request to a path that must wait for its own
        limit holds only its own slot, so a request to another path that may go now does
        (first come, first served held every path behind the slowest one's wait)."""
        now = self._clock()
        at = max(now, self._next_path.get(path, 0.0))
        gap = _gap(self.limits.total_per_second)
        if gap:
            booked = self._booked
            del booked[: bisect.bisect_right(booked, now - gap)]  # can no longer collide
            i = bisect.bisect_right(booked, at - gap)
            while i < len(booked) and booked[i] < at + gap:  # a slot too close: after it
                at = max(at, booked[i] + gap)
                i += 1
            bisect.insort(booked, at)
        self._next_path[path] = at + _gap(self.limits.per_path_per_second)
        return now, at

    def _load(self) -> None:
        raw = os.pread(self._state_fd, 1 << 20, 0)
        try:
            state = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:  # a writer died mid-write: start the budget afresh
            state = {}
        horizon = self._clock() + STALE_SECONDS
        self._next_path = {p: t for p, t in state.get("paths", {}).items() if t <= horizon}
        self._booked = [t for t in state.get("booked", []) if t <= horizon]

    def _save(self) -> None:
        now = self._clock()
        paths = {p: t for p, t in self._next_path.items() if t > now}  # past bookings go
        raw = orjson.dumps({"booked": self._booked, "paths": paths})
        os.ftruncate(self._state_fd, 0)
        os.pwrite(self._state_fd, raw, 0)


def _gap(per_second: float | None) -> float:
    return 0.0 if not per_second else 1.0 / (per_second * HEADROOM)


_SHARED: dict[tuple[str, ...], Pacer] = {}
_SHARED_LOCK = threading.Lock()


def shared_pacer(key: tuple[str, ...], limits: RateLimits) -> Pacer:
    """One pacer per key (gateway, account, server) in this process, booking in the key's
    state file, so every reader of an account, in any process of the machine, takes its turn
    from the same budget."""
    with _SHARED_LOCK:
        pacer = _SHARED.get(key)
        if pacer is None or pacer.limits != limits:
            pacer = _SHARED[key] = Pacer(limits, state_path=state_path_for(key, limits))
        return pacer


def state_path_for(key: tuple[str, ...], limits: RateLimits) -> Path:
    """The state file of a key's budget (its limits are part of the name: two budgets of
    different limits never share bookings)."""
    digest = hashlib.sha256(repr((key, limits)).encode()).hexdigest()[:24]
    folder = os.environ.get(PACER_DIR_ENV) or Path(tempfile.gettempdir()) / "ledgerdesk-pacers"
    return Path(folder) / f"{digest}.json"
