"""Money as PayPal sends it: `{"currency_code": "USD", "value": "12.30"}`.

PayPal's own decimals per currency, not ISO 4217's: JPY, HUF and TWD are whole units.
"""

from __future__ import annotations

from decimal import Decimal

# Currencies PayPal takes (REST currency codes page); KWD is not one of them.
PAYPAL_CURRENCIES = frozenset({
    "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR",
    "MXN", "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
})  # fmt: skip
ZERO_DECIMAL = frozenset({"JPY", "HUF", "TWD"})
ISO_EXPONENT = {"JPY": 0, "HUF": 2, "TWD": 2, "KWD": 3}  # others: 2


def decimals(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL else 2


def money(iso_minor: int, currency: str) -> dict[str, str]:
    """An amount in ISO 4217 minor units as PayPal writes it (exact; HUF/TWD in whole units)."""
    major = Decimal(iso_minor).scaleb(-ISO_EXPONENT.get(currency, 2))
    places = decimals(currency)
    value = major.quantize(Decimal(1).scaleb(-places))
    if value != major:
        raise ValueError(f"{iso_minor} {currency} is not whole in PayPal's {places} decimals")
    return {"currency_code": currency, "value": f"{value:f}"}
