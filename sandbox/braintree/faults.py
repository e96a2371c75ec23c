"""Fault injection for the Braintree sandbox: the kit's plan (rate limits answered 429, server
errors answered 500 or 503, slow answers, fail_first) and objects malformed in Braintree's own
ways (money in the wrong format, a missing `created-at`, an unknown currency, no id)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from lxml import etree

from sandbox.kit.faults import FaultPlan as KitFaultPlan

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
class FaultPlan(KitFaultPlan):
    """The kit's plan (every-Nth 429 and 5xx, delays, fail_first, rate limits) with
    Braintree's own malformations."""

    variants: ClassVar[tuple[str, ...]] = MALFORMED_VARIANTS


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
