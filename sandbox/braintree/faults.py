"""Fault injection for the Braintree sandbox: rate limits (429), server errors (500/503), slow
answers, and objects malformed in Braintree's own ways (money in the wrong format, a missing
`created-at`, an unknown currency, no id).

A `FaultPlan` is plain data; tests change its fields while the server runs. It numbers the
requests it sees from 1, so "every 3rd" is exactly the 3rd, 6th, ... request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

AMOUNT_WITH_COMMA = "amount_with_comma"  # <amount>12,00</amount>: a locale-formatted proxy
TOO_MANY_DECIMALS = "too_many_decimals"  # <amount>12.005</amount> for USD, 1500.5 for JPY
MISSING_CREATED_AT = "missing_created_at"  # no <created-at> at all
UNKNOWN_CURRENCY = "unknown_currency"  # <currency-iso-code>XYZ</currency-iso-code>
MISSING_ID = "missing_id"  # <id nil="true"/>

MALFORMED_VARIANTS = (
    AMOUNT_WITH_COMMA,
    TOO_MANY_DECIMALS,
    MISSING_CREATED_AT,
    UNKNOWN_CURRENCY,
    MISSING_ID,
)


@dataclass
class FaultPlan:
    rate_limit_every: int = 0  # every Nth request -> 429 (0: never)
    server_error_every: int = 0  # every Mth request -> 500 (0: never)
    unavailable_every: int = 0  # every Kth request -> 503 (0: never)
    delay_seconds: float = 0.0  # added before every answer
    malformed: dict[str, str] = field(default_factory=dict)  # object id -> variant
    fail_first: dict[str, int] = field(default_factory=dict)  # path suffix -> first k get 500
    seen: int = 0
    seen_by_path: dict[str, int] = field(default_factory=dict)

    def malform(self, object_ids, variant: str = TOO_MANY_DECIMALS) -> None:
        if variant not in MALFORMED_VARIANTS:
            raise ValueError(f"unknown malformed variant {variant!r}")
        for object_id in object_ids:
            self.malformed[object_id] = variant

    def fault_for(self, path: str) -> str | None:
        """'rate_limit', 'server_error', 'unavailable' or None for the next request."""
        self.seen += 1
        n = self.seen
        seen = self.seen_by_path.get(path, 0) + 1
        self.seen_by_path[path] = seen
        if any(path.endswith(p) and seen <= k for p, k in self.fail_first.items()):
            return "server_error"
        if self.rate_limit_every and n % self.rate_limit_every == 0:
            return "rate_limit"
        if self.server_error_every and n % self.server_error_every == 0:
            return "server_error"
        if self.unavailable_every and n % self.unavailable_every == 0:
            return "unavailable"
        return None


def malformed_xml(xml: bytes, variant: str) -> bytes:
    el = etree.fromstring(xml)
    amount = el.find("amount") if el.find("amount") is not None else el.find("price")
    if variant == AMOUNT_WITH_COMMA and amount is not None:
        amount.text = (amount.text or "0").replace(".", ",")
        if "," not in amount.text:
            amount.text += ",00"
    elif variant == TOO_MANY_DECIMALS and amount is not None:
        text = amount.text or "0"
        amount.text = text + "5" if "." in text else text + ".5"
    elif variant == MISSING_CREATED_AT:
        created = el.find("created-at")
        if created is not None:
            el.remove(created)
    elif variant == UNKNOWN_CURRENCY:
        currency = el.find("currency-iso-code")
        if currency is not None:
            currency.text = "XYZ"
    elif variant == MISSING_ID:
        node = el.find("id")
        node.text = None
        node.set("nil", "true")
    return etree.tostring(el, encoding="UTF-8")
