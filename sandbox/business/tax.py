"""Tax rates by the customer's country and the exact tax arithmetic.

Rounding rule: tax_minor = round-half-up(taxable_minor * percentage / 100), computed exactly
with Decimal (ROUND_HALF_UP rounds halves away from zero, so a credit line of -X gets exactly
the negative of the tax of +X). Tax is exclusive: it is added on top of the taxable amount.

The seller is established in Ireland (IE). EU businesses with a VAT ID outside IE are taxed by
reverse charge (rate 0, taxability reason `reverse_charge`); every other EU customer pays the
VAT of their own member state (OSS). UK VAT 20%, Australian GST 10%, US sales tax in four
states (combined state + average local rate), nothing elsewhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sandbox.business.clock import HISTORY_START
from sandbox.business.model import Customer, TaxRate

SELLER_COUNTRY = "IE"
# EU standard VAT rates as known on 2025-07-01 (European Commission "VAT rates" table; FI
# raised 24 -> 25.5 on 2024-09-01, EE 22 -> 24 on 2025-07-01, SK 20 -> 23 on 2025-01-01,
# RO 19 -> 21 on 2025-08-01 is taken as in force for the whole history).
EU_VAT = {
    "AT": "20", "BE": "21", "BG": "20", "HR": "25", "CY": "19", "CZ": "21", "DK": "25",
    "EE": "24", "FI": "25.5", "FR": "20", "DE": "19", "GR": "24", "HU": "27", "IE": "23",
    "IT": "22", "LV": "21", "LT": "21", "LU": "17", "MT": "18", "NL": "21", "PL": "23",
    "PT": "23", "RO": "21", "SK": "23", "SI": "22", "ES": "21", "SE": "25",
}  # fmt: skip
# Combined state + average local sales tax (Tax Foundation, 2025 mid-year).
# Percentages are written canonically (no trailing zeros): "8.2", as the rendered JSON number reads.
US_SALES_TAX = {"CA": "8.85", "NY": "8.53", "TX": "8.2", "WA": "9.38"}
OTHER = {"GB": ("20", "VAT", "vat"), "AU": ("10", "GST", "gst")}


def build_tax_rates() -> dict[tuple[str, str | None, bool], TaxRate]:
    """All rates keyed by (country, state, reverse_charge)."""
    rates: dict[tuple[str, str | None, bool], TaxRate] = {}

    def add(country: str, state: str | None, pct: str, name: str, kind: str, rc: bool) -> None:
        rid = f"tax-{country.lower()}{'-' + state.lower() if state else ''}{'-rc' if rc else ''}"
        rates[(country, state, rc)] = TaxRate(
            rid, country, state, pct, name, kind, rc, HISTORY_START
        )

    for country, pct in EU_VAT.items():
        add(country, None, pct, "VAT", "vat", False)
        if country != SELLER_COUNTRY:
            add(country, None, "0", "VAT reverse charge", "vat", True)
    for state, pct in US_SALES_TAX.items():
        add("US", state, pct, "Sales Tax", "sales_tax", False)
    for country, (pct, name, kind) in OTHER.items():
        add(country, None, pct, name, kind, False)
    return rates


def rate_for(customer: Customer, rates: dict) -> TaxRate | None:
    c = customer.country
    if c in EU_VAT:
        reverse = customer.is_business and customer.tax_id is not None and c != SELLER_COUNTRY
        return rates[(c, None, reverse)]
    if c == "US":
        return rates.get(("US", customer.state, False))
    return rates.get((c, None, False))


def tax_amount(taxable_minor: int, percentage: str, unit: int = 1) -> int:
    """round-half-up(taxable * percentage / 100) to a multiple of `unit` (100: whole kronur
    in Stripe's ISK units, `plans.whole_unit`), exact."""
    exact = Decimal(taxable_minor) * Decimal(percentage) / Decimal(100 * unit)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * unit
