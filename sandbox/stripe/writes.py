"""Write endpoints (refund, cancel, capture, send, tax id, customer update)."""

from __future__ import annotations

from typing import Any

from sandbox.stripe.store import StripeStore


def dispatch(store: StripeStore, request: Any) -> bytes | None:
    """The answer body for a write request, or None when no write endpoint matches."""
    return None
