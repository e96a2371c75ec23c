"""PayPal's money objects checked exactly: `{"currency_code", "value"}` where value is a decimal
string with at most the currency's decimals in PayPal's own table (JPY, HUF, TWD: none)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Currencies PayPal takes (its REST currency codes); KWD is not one of them.
PAYPAL_CURRENCIES = frozenset({
    "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR",
    "MXN", "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
})  # fmt: skip
ZERO_DECIMAL = frozenset({"JPY", "HUF", "TWD"})
_VALUE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def decimals(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL else 2


def money_objects(obj: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """(json path, money object) for every `{"currency_code", "value"}` inside obj."""
    if isinstance(obj, dict):
        if "currency_code" in obj and "value" in obj:
            yield path, obj
        for key, value in obj.items():
            if isinstance(value, (dict, list)):
                yield from money_objects(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for n, value in enumerate(obj):
            yield from money_objects(value, f"{path}[{n}]")


def money_problem(obj: Any) -> str | None:
    """The first money object PayPal could not have sent: unknown currency, a value that is
    not a decimal string, or more decimals than the currency has."""
    for path, money in money_objects(obj):
        currency, value = money.get("currency_code"), money.get("value")
        if currency not in PAYPAL_CURRENCIES:
            return f"{path}: unknown currency {currency!r}"
        if not isinstance(value, str) or not _VALUE.match(value):
            return f"{path}: value {value!r} is not a decimal string"
        places, allowed = len(value.partition(".")[2]), decimals(currency)
        if places > allowed:
            return f"{path}: {value} has {places} decimals, {currency} has {allowed}"
    return None
