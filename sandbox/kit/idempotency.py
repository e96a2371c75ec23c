"""Idempotency keys: the first answer to a key is replayed byte for byte.

A key is bound to the request it was first used with (another method, path or body is a
mismatch the gateway answers in its own words), and an answer is saved only once the handler
ran: faults injected before it (429, 500) are not saved, so a retry with the same key goes on.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from sandbox.kit.http import Response


@dataclass(frozen=True)
class SavedAnswer:
    fingerprint: str
    response: Response
    request_id: str


class IdempotencyMismatch(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class IdempotencyKeys:
    def __init__(self) -> None:
        self._saved: dict[tuple[str, str], SavedAnswer] = {}
        self._lock = threading.Lock()

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> str:
        return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()

    def lookup(self, scope: str, key: str, fingerprint: str) -> SavedAnswer | None:
        """The saved answer for (scope, key), e.g. scope = the credential; raises
        IdempotencyMismatch when the key was first used with another request."""
        with self._lock:
            saved = self._saved.get((scope, key))
        if saved is not None and saved.fingerprint != fingerprint:
            raise IdempotencyMismatch(key)
        return saved

    def save(self, scope: str, key: str, answer: SavedAnswer) -> None:
        with self._lock:
            self._saved.setdefault((scope, key), answer)
