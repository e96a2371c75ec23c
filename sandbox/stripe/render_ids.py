"""Deterministic Stripe-looking ids: prefix + alphanumeric digest of (seed, prefix, neutral id)."""

from __future__ import annotations

import base64
import hashlib

# base64 digits outside Stripe's alphabet [0-9A-Za-z] are folded onto letters.
_FOLD = bytes.maketrans(b"+/", b"Qz")
# Lengths after the prefix, as Stripe's own ids have them.
_LENGTHS = {"cus": 14, "si": 14, "prod": 14}


class StripeIds:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._cache: dict[str, dict[str, str]] = {}

    def of(self, prefix: str, neutral: str) -> str:
        known = self._cache.get(prefix)
        if known is None:
            known = self._cache[prefix] = {}
        found = known.get(neutral)
        if found is None:
            salt = f"{self.seed}:{prefix}:".encode()
            digest = hashlib.blake2b(salt + neutral.encode(), digest_size=18).digest()
            text = base64.b64encode(digest).translate(_FOLD).decode()
            found = known[neutral] = f"{prefix}_{text[: _LENGTHS.get(prefix, 24)]}"
        return found
