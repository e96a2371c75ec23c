"""PayPal's money objects checked exactly: `{"currency_code", "value"}` where value is a decimal
string in PayPal's money pattern, exact in PayPal's decimals for the currency (JPY, HUF, TWD:
none; "30.00" TWD is exact, "30.50" is not). The rule and the exponents are
`ledgerdesk.money`'s (the dbt seeds), the same the models convert with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ledgerdesk.money import DECIMAL_TEXT, MAX_DIGITS, decimal_places, decimal_to_minor

GATEWAY = "paypal"
# Currencies PayPal takes (its REST currency codes); KWD is not one of them.
PAYPAL_CURRENCIES = frozenset({
    "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR",
    "MXN", "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
})  # fmt: skip


def decimals(currency: str) -> int:
    """PayPal's decimals for the currency (the currencies and exceptions seeds)."""
    return decimal_places(currency, GATEWAY)


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
    not a decimal string, or one not exact in the currency's decimals."""
    for path, money in money_objects(obj):
        currency, value = money.get("currency_code"), money.get("value")
        if currency not in PAYPAL_CURRENCIES:
            return f"{path}: unknown currency {currency!r}"
        if not isinstance(value, str) or not DECIMAL_TEXT.fullmatch(value):
            return f"{path}: value {value!r} is not a decimal string"
        if decimal_to_minor(value, currency, GATEWAY) is None:
            places = len(value.partition(".")[2].rstrip("0"))
            if places > decimals(currency):
                return f"{path}: {value} has {places} decimals, {currency} has {decimals(currency)}"
            return f"{path}: {value} has more than {MAX_DIGITS} digits"
    return None
