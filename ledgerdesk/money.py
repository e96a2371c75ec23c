"""Exact money: integer minor units with an ISO 4217 currency, never a float.

The currency table is dbt's seed `dbt_project/seeds/currencies.csv`, so Python and SQL know the
same exponents (JPY 0, USD 2, KWD 3).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

CURRENCIES_CSV = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "currencies.csv"


@cache
def exponents() -> dict[str, int]:
    with CURRENCIES_CSV.open(newline="") as f:
        return {row["currency"]: int(row["minor_unit_exponent"]) for row in csv.DictReader(f)}


def exponent(currency: str) -> int:
    try:
        return exponents()[currency.upper()]
    except KeyError:
        raise ValueError(
            f"unknown currency {currency!r}: add it to {CURRENCIES_CSV.name}"
        ) from None


def to_major(amount_minor: int, currency: str) -> Decimal:
    """12345 USD -> Decimal('123.45'); 500 JPY -> Decimal('500'); 1234 KWD -> Decimal('1.234')."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise TypeError(f"amount_minor must be an int, got {type(amount_minor).__name__}")
    return Decimal(amount_minor).scaleb(-exponent(currency))


def format_amount(amount_minor: int, currency: str) -> str:
    """12345678 USD -> '123,456.78': every digit, grouped, without the currency code."""
    return f"{to_major(amount_minor, currency):,.{exponent(currency)}f}"


def format_money(amount_minor: int, currency: str) -> str:
    return f"{format_amount(amount_minor, currency)} {currency.upper()}"
