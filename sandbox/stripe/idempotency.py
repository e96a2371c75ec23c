"""Stripe's idempotency keys: the first answer to a key is replayed byte for byte.

As at Stripe, a key is bound to the parameters it was first used with (a different body is
an `idempotency_error`), and an answer is only saved once the endpoint ran: faults injected
before routing (429, 500) are not saved, so the SDK's retry with the same key goes through.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from sandbox.stripe.errors import StripeError


@dataclass(frozen=True)
class SavedAnswer:
    fingerprint: str
    status: int
    body: bytes
    request_id: str


class IdempotencyKeys:
    def __init__(self) -> None:
        self._saved: dict[tuple[str, str], SavedAnswer] = {}
        self._lock = threading.Lock()

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> str:
        return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()

    def lookup(self, api_key: str, key: str, fingerprint: str) -> SavedAnswer | None:
        with self._lock:
            saved = self._saved.get((api_key, key))
        if saved is not None and saved.fingerprint != fingerprint:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                type="idempotency_error",
            )
        return saved

    def save(self, api_key: str, key: str, answer: SavedAnswer) -> None:
        with self._lock:
            self._saved.setdefault((api_key, key), answer)
