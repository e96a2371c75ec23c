"""Deterministic fault injection, the same for every gateway: rate limits, server errors,
slow answers, the first requests to a path failing, malformed objects, late-visible objects.

A `FaultPlan` is plain data; tests may change its fields while the server runs (the app reads
them on every request). The plan numbers the requests it sees from 1, so "every 3rd" is
exactly the 3rd, 6th, 9th, ... request since the plan was installed. What a malformed object
looks like is the gateway's (`FaultPlan.variants` names them, the gateway's app breaks the
object in its own format). `RateLimits` are enforced as real gateways do: at most N requests
a second per path and M in all, over any one-second window, on the app's clock; a request past
either limit is answered 429 and does not count.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class RateLimits:
    per_path_per_second: int | None = None  # None: no limit
    total_per_second: int | None = None


@dataclass
class FaultPlan:
    variants: ClassVar[tuple[str, ...]] = ()  # the malformations the gateway knows

    rate_limit_every: int = 0  # every Nth request -> 429 (0: never)
    retry_after_seconds: int = 1  # the 429's Retry-After
    server_error_every: int = 0  # every Mth request -> 500 (0: never)
    delay_seconds: float = 0.0  # added before every answer
    malformed: dict[str, str] = field(default_factory=dict)  # object id -> variant
    fail_first: dict[str, int] = field(default_factory=dict)  # path -> first k requests get 500
    # object (event) id -> the plan's request number from which it is listed (`delay_object`)
    late_events: dict[str, int] = field(default_factory=dict)
    rate_limits: RateLimits | None = None
    seen: int = 0  # requests seen by this plan
    seen_by_path: dict[str, int] = field(default_factory=dict)  # the same, per path

    def malform(self, object_ids, variant: str | None = None) -> None:
        variant = variant or (self.variants[0] if self.variants else None)
        if variant not in self.variants:
            raise ValueError(f"unknown malformed variant {variant!r}")
        for object_id in object_ids:
            self.malformed[object_id] = variant

    def delay_event(self, object_ids, requests: int) -> None:
        """Hide objects until `requests` further requests have reached the server (written
        late on the gateway's side: a reader whose window does not overlap misses them)."""
        for object_id in object_ids:
            self.late_events[object_id] = self.seen + requests + 1

    delay_object = delay_event

    def hidden_events(self) -> set[str]:
        """The delayed objects still invisible to the request being answered."""
        if not self.late_events:
            return set()
        return {oid for oid, visible_from in self.late_events.items() if self.seen < visible_from}

    def fault_for(self, path: str) -> str | None:
        """'rate_limit', 'server_error' or None for the next request, to `path`."""
        self.seen += 1
        request_number = self.seen
        seen = self.seen_by_path.get(path, 0) + 1
        self.seen_by_path[path] = seen
        if seen <= self.fail_first.get(path, 0):
            return "server_error"
        if self.rate_limit_every and request_number % self.rate_limit_every == 0:
            return "rate_limit"
        if self.server_error_every and request_number % self.server_error_every == 0:
            return "server_error"
        return None


class RateLimiter:
    """Sliding one-second windows of admitted requests, per key and in all."""

    WINDOW = 1.0

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._by_key: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def admit(self, limits: RateLimits | None, key: str) -> int | None:
        """None if the request may go on (it is counted), else the seconds to wait."""
        if limits is None:
            return None
        now = self.clock()
        mine = self._by_key.setdefault(key, deque())
        waits = []
        for log, limit in (
            (mine, limits.per_path_per_second),
            (self._all, limits.total_per_second),
        ):
            while log and log[0] <= now - self.WINDOW:
                log.popleft()
            if limit is not None and len(log) >= limit:
                waits.append(log[len(log) - limit] + self.WINDOW - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        mine.append(now)
        self._all.append(now)
        return None
