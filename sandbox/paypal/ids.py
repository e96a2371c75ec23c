"""PayPal ids from the business's neutral ids: deterministic, in PayPal's own shapes."""

from __future__ import annotations

import hashlib

# PayPal payer ids use 2-9 and A-Z without I and O (the spec's payer_id pattern).
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _code(seed: str, length: int) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:length])


def transaction_id(neutral: str) -> str:
    """17 characters, as PayPal's transaction ids (a capture's id is its transaction id)."""
    return _code(f"txn:{neutral}", 17)


def payer_id(neutral_customer: str) -> str:
    """13 characters, as a PayPal payer (account) id."""
    return _code(f"payer:{neutral_customer}", 13)


def subscription_id(neutral: str) -> str:
    return "I-" + _code(f"sub:{neutral}", 12)


def plan_id(neutral: str) -> str:
    return "P-" + _code(f"plan:{neutral}", 24)


def product_id(tier: str) -> str:
    return "PROD-" + _code(f"prod:{tier}", 17)


def dispute_id(neutral: str) -> str:
    return "PP-D-" + str(int(hashlib.sha256(f"dsp:{neutral}".encode()).hexdigest()[:8], 16))


def invoice_id(neutral: str) -> str:
    code = _code(f"inv:{neutral}", 20)
    return f"INV2-{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:16]}-{code[16:20]}"
