"""Braintree's own ids for the business's neutral ones, deterministic (same history, same ids).

Shapes as Braintree's: transactions 8 lower-case base-36 characters (`8zz3gzh5`), disputes 16
(`fj7ms4b3mqjmzstf`), subscriptions 6 (`27wvwr`), customers 9 digits (`693821791`), payment
method tokens 7 (`h7t8y3r`); global ids are base64 of `<kind>_<id>` without padding.
"""

from __future__ import annotations

import base64
import hashlib

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _digest(kind: str, neutral: str) -> int:
    return int.from_bytes(hashlib.sha1(f"{kind}:{neutral}".encode()).digest()[:12], "big")


def _base36(number: int, length: int) -> str:
    out = []
    for _ in range(length):
        number, rest = divmod(number, 36)
        out.append(ALPHABET[rest])
    # Braintree ids never start with a digit-only run that could read as a number
    return "".join(out)


def transaction_id(neutral: str) -> str:
    return _base36(_digest("transaction", neutral), 8)


def dispute_id(neutral: str) -> str:
    return _base36(_digest("dispute", neutral), 16)


def subscription_id(neutral: str) -> str:
    return _base36(_digest("subscription", neutral), 6)


def customer_id(neutral: str) -> str:
    return str(100_000_000 + _digest("customer", neutral) % 900_000_000)


def token(neutral: str) -> str:
    return _base36(_digest("payment_method", neutral), 7)


def global_id(kind: str, braintree_id: str) -> str:
    return base64.b64encode(f"{kind}_{braintree_id}".encode()).decode().rstrip("=")
