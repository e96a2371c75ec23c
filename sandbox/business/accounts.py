"""Where each person pays: the (gateway, account) of every customer, and the currencies each
gateway takes.

Default split (any seed): about 70% of people on stripe/sandbox, 20% on braintree/sandbox,
10% on paypal/sandbox, drawn among the gateways that take the person's currency (an Icelandic
customer pays in ISK, which only Stripe takes, so is always on Stripe). A few people are
placed on purpose (`PLACED`), so that every scale has JPY on all three gateways, KWD on
Braintree, and GBP, EUR and USD on Braintree and PayPal. The draws use their own random
stream (`split_rng`), so the split never shifts the rest of the history.
"""

from __future__ import annotations

import random

ACCOUNT = "sandbox"
GATEWAYS = ("stripe", "braintree", "paypal")
WEIGHTS = {"stripe": 70, "braintree": 20, "paypal": 10}
# What each gateway takes (None: every currency). PayPal has no KWD; neither takes ISK.
CURRENCIES: dict[str, frozenset[str] | None] = {
    "stripe": None,
    "braintree": frozenset({"USD", "EUR", "GBP", "JPY", "KWD", "AUD", "CAD"}),
    "paypal": frozenset({"USD", "EUR", "GBP", "JPY", "AUD", "CAD"}),
}
# person_id -> (country, gateway): the cases each scale must hold, whatever the draws.
PLACED = {
    4: ("KW", "braintree"),
    5: ("JP", "stripe"),
    6: ("JP", "braintree"),
    7: ("JP", "paypal"),
    8: ("GB", "paypal"),
    9: ("DE", "paypal"),
    10: ("US", "paypal"),
    11: ("GB", "braintree"),
    12: ("DE", "braintree"),
    13: ("US", "braintree"),
}


def split_rng(seed: int) -> random.Random:
    return random.Random(f"accounts:{seed}")


def takes(gateway: str, currency: str) -> bool:
    allowed = CURRENCIES[gateway]
    return allowed is None or currency in allowed


def pick_gateway(rng: random.Random, currency: str, exclude: str | None = None) -> str | None:
    """A gateway taking `currency` by the default weights (None if none but `exclude` does)."""
    choices = [g for g in GATEWAYS if g != exclude and takes(g, currency)]
    if not choices:
        return None
    return rng.choices(choices, weights=[WEIGHTS[g] for g in choices])[0]
