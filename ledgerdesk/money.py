"""Exact money: integer minor units with an ISO 4217 currency, never a float.

Two of dbt's seeds are the tables, so Python and SQL know the same exponents:
- `dbt_project/seeds/currencies.csv`: ISO 4217 (JPY 0, USD 2, KWD 3, ISK 0), every currency
  Stripe accepts;
- `dbt_project/seeds/currencies_gateway_exceptions.csv`: where a gateway's API departs from
  ISO 4217, per context (`charge`, `payout`, or `*` for both): the exponent of its amounts
  and the multiple every amount must be (Stripe: ISK and UGX two-decimal with decimals always
  00, MGA zero-decimal, HUF and TWD payouts in whole units, three-decimal amounts ending in 0).

`gateway=None` means ISO 4217.

`decimal_to_minor()` is the one rule for a gateway's decimal text (Braintree, PayPal), the
same as dbt's macro of that name (macros/money.sql); tests/ledgerdesk/test_money_sql.py feeds
both `seeds/decimal_amount_examples.csv` and compares.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
CURRENCIES_CSV = SEEDS / "currencies.csv"
EXCEPTIONS_CSV = SEEDS / "currencies_gateway_exceptions.csv"
CONTEXTS = ("charge", "payout")
# PayPal's published money pattern (Braintree's "12.30" is in it); fullmatch, so no newline.
DECIMAL_TEXT = re.compile(r"(-?[0-9]+)|(-?([0-9]+)?[.][0-9]+)")
MAX_DIGITS = 18  # whole ISO minor units that always fit a BIGINT


class Rule(NamedTuple):
    exponent: int
    minor_multiple: int  # every amount in minor units is a multiple of this


@cache
def exponents() -> dict[str, int]:
    """ISO 4217: currency -> minor unit exponent."""
    with CURRENCIES_CSV.open(newline="") as f:
        return {row["currency"]: int(row["minor_unit_exponent"]) for row in csv.DictReader(f)}


@cache
def gateway_exceptions() -> dict[tuple[str, str, str], Rule]:
    """(gateway, currency, context) -> Rule; context '*' applies to every context."""
    with EXCEPTIONS_CSV.open(newline="") as f:
        return {
            (row["gateway"], row["currency"], row["context"]): Rule(
                int(row["exponent"]), int(row["minor_multiple"])
            )
            for row in csv.DictReader(f)
        }


def rule(currency: str, gateway: str | None = None, context: str = "charge") -> Rule:
    code = currency.upper()
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r} (expected one of {CONTEXTS})")
    try:
        iso = exponents()[code]
    except KeyError:
        raise ValueError(
            f"unknown currency {currency!r}: add it to {CURRENCIES_CSV.name}"
        ) from None
    if gateway is not None:
        table = gateway_exceptions()
        found = table.get((gateway, code, context)) or table.get((gateway, code, "*"))
        if found:
            return found
    return Rule(iso, 1)


def exponent(currency: str, gateway: str | None = None, context: str = "charge") -> int:
    """Decimal places of the currency's minor unit: ISO 4217, or the gateway's API's."""
    return rule(currency, gateway, context).exponent


def to_major(
    amount_minor: int, currency: str, gateway: str | None = None, context: str = "charge"
) -> Decimal:
    """12345 USD -> Decimal('123.45'); 500 JPY -> Decimal('500'); 1234 KWD -> Decimal('1.234');
    100 ISK from Stripe -> Decimal('1.00')."""
    _check_int(amount_minor)
    return Decimal(amount_minor).scaleb(-exponent(currency, gateway, context))


def accepts(
    amount_minor: int, currency: str, gateway: str | None = None, context: str = "charge"
) -> bool:
    """Whether the gateway takes this amount as it stands: 60000 HUF is a Stripe payout of
    600 forint, 60050 is not (payouts in whole forint); 1235 KWD is not a Stripe charge."""
    _check_int(amount_minor)
    return amount_minor % rule(currency, gateway, context).minor_multiple == 0


def _check_int(amount_minor: object) -> None:
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise TypeError(f"amount_minor must be an int, got {type(amount_minor).__name__}")


def format_amount(
    amount_minor: int, currency: str, gateway: str | None = None, context: str = "charge"
) -> str:
    """12345678 USD -> '123,456.78': every digit, grouped, without the currency code."""
    places = exponent(currency, gateway, context)
    return f"{to_major(amount_minor, currency, gateway, context):,.{places}f}"


def format_money(
    amount_minor: int, currency: str, gateway: str | None = None, context: str = "charge"
) -> str:
    return f"{format_amount(amount_minor, currency, gateway, context)} {currency.upper()}"


def decimal_places(currency: str, gateway: str | None = None) -> int:
    """The decimals a gateway's decimal text may carry for the currency: its charge exponent,
    never more than ISO's (PayPal HUF 0; Stripe's two-decimal ISK is 0: whole ISO units)."""
    return min(exponent(currency, gateway), exponent(currency))


def decimal_to_minor(text: object, currency: object, gateway: str | None = None) -> int | None:
    """A gateway's decimal amount text as integer ISO 4217 minor units, exactly, or None.

    It converts iff it is in PayPal's money pattern and exact in the decimals the gateway
    allows for the currency: digits past them must be zeros ("1500.00" JPY is 1500, "1500.5"
    JPY is None, never rounded). None too for an unknown currency or more than 18 digits."""
    if not (isinstance(text, str) and DECIMAL_TEXT.fullmatch(text)) or currency not in exponents():
        return None
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    iso = exponent(currency)
    digits = whole.lstrip("-")
    if len(fraction) > decimal_places(currency, gateway) or len(digits) > MAX_DIGITS - iso:
        return None
    return int((whole if digits else whole + "0") + fraction.ljust(iso, "0"))
