"""Stripe's faults: the kit's `FaultPlan` (`sandbox.kit.faults`) with Stripe's malformations
and its 429's optional `Stripe-Should-Retry`, and Stripe's live-mode rate limits.

Stripe allows 25 read requests a second per endpoint and 100 in all in live mode
(`LIVE_RATE_LIMITS`); past them it answers 429 `rate_limit` in its error shape, with
`Retry-After` and no `Stripe-Should-Retry` (stripe-python does not retry a plain 429).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import orjson

from sandbox.kit.faults import FaultPlan as KitFaultPlan
from sandbox.kit.faults import RateLimits

# How a malformed object is broken: each is a mistake a real feed or a bad proxy makes.
AMOUNT_AS_STRING = "amount_as_string"  # "amount": "12.00" instead of 1200
MISSING_CREATED = "missing_created"  # no `created` key at all
NULL_CURRENCY = "null_currency"  # "currency": null

MALFORMED_VARIANTS = (AMOUNT_AS_STRING, MISSING_CREATED, NULL_CURRENCY)
LIVE_RATE_LIMITS = RateLimits(per_path_per_second=25, total_per_second=100)


@dataclass
class FaultPlan(KitFaultPlan):
    variants: ClassVar[tuple[str, ...]] = MALFORMED_VARIANTS

    rate_limit_should_retry: bool | None = None  # the 429's Stripe-Should-Retry (None: absent)


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


__all__ = [
    "AMOUNT_AS_STRING",
    "LIVE_RATE_LIMITS",
    "MALFORMED_VARIANTS",
    "MISSING_CREATED",
    "NULL_CURRENCY",
    "FaultPlan",
    "RateLimits",
    "malformed_blob",
]
