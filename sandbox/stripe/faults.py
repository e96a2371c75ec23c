"""Deterministic fault injection: rate limits, server errors, slow answers, malformed objects,
and late-visible events.

A `FaultPlan` is plain data; tests may change its fields while the server runs (the server
reads them on every request). The plan numbers the requests it sees, starting at 1, so "every
3rd" is exactly the 3rd, 6th, 9th, ... request since the plan was installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

# How a malformed object is broken: each is a mistake a real feed or a bad proxy makes.
AMOUNT_AS_STRING = "amount_as_string"  # "amount": "12.00" instead of 1200
MISSING_CREATED = "missing_created"  # no `created` key at all
NULL_CURRENCY = "null_currency"  # "currency": null

MALFORMED_VARIANTS = (AMOUNT_AS_STRING, MISSING_CREATED, NULL_CURRENCY)


@dataclass
class FaultPlan:
    rate_limit_every: int = 0  # every Nth request -> 429 rate_limit (0: never)
    retry_after_seconds: int = 1  # the 429's Retry-After header
    rate_limit_should_retry: bool | None = None  # the 429's Stripe-Should-Retry (None: absent)
    server_error_every: int = 0  # every Mth request -> 500 api_error (0: never)
    delay_seconds: float = 0.0  # added before every answer
    malformed: dict[str, str] = field(default_factory=dict)  # object id -> variant
    fail_first: dict[str, int] = field(default_factory=dict)  # path -> first k requests get 500
    # event id -> the plan's request number from which the event is listed (`delay_event`)
    late_events: dict[str, int] = field(default_factory=dict)
    seen: int = 0  # requests seen by this plan
    seen_by_path: dict[str, int] = field(default_factory=dict)  # the same, per path

    def malform(self, object_ids: list[str] | set[str], variant: str = AMOUNT_AS_STRING) -> None:
        if variant not in MALFORMED_VARIANTS:
            raise ValueError(f"unknown malformed variant {variant!r}")
        for object_id in object_ids:
            self.malformed[object_id] = variant

    def delay_event(self, event_ids: list[str] | set[str], requests: int) -> None:
        """Hide events until `requests` further requests have reached the server.

        As Stripe's events list can: an event whose `created` is older than events already
        served shows up later (written late on Stripe's side), so a reader that only asks for
        events newer than the newest it has seen misses it unless its window overlaps.
        """
        for event_id in event_ids:
            self.late_events[event_id] = self.seen + requests + 1

    def hidden_events(self) -> set[str]:
        """The delayed events still invisible to the request being answered."""
        if not self.late_events:
            return set()
        return {eid for eid, visible_from in self.late_events.items() if self.seen < visible_from}

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


def malformed_blob(blob: bytes, variant: str) -> bytes:
    obj = orjson.loads(blob)
    if variant == AMOUNT_AS_STRING:
        amount = obj.get("amount")
        obj["amount"] = f"{amount // 100}.{amount % 100:02d}" if isinstance(amount, int) else "?"
    elif variant == MISSING_CREATED:
        obj.pop("created", None)
    elif variant == NULL_CURRENCY:
        obj["currency"] = None
    return orjson.dumps(obj)
