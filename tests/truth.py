"""The generator's truth in the marts' terms, shared by the dbt and end-to-end tests.

The generator counts in Stripe's units (ISK two-decimal: 2,700 kr is 270000); the marts in
ISO 4217 minor units (2,700 kr is 2700). The truth is converted through the money table
(`ledgerdesk.money`: Stripe's exponent against ISO's), never through the models' SQL.
"""

from __future__ import annotations

from fractions import Fraction

from ledgerdesk.money import exponent

# rpt_revenue_monthly, whole rows in a fixed order.
REVENUE_ROWS_SQL = (
    "select strftime(month, '%Y-%m'), currency, gross_minor, refunds_minor, "
    "disputes_lost_minor, net_minor, payments_count, refunds_count, disputes_lost_count, "
    "disputes_lost_estimated_count from marts.rpt_revenue_monthly order by 1, 2"
)


# rpt_revenue_monthly_by_gateway, whole rows in a fixed order.
GATEWAY_REVENUE_ROWS_SQL = (
    "select gateway, account_id, strftime(month, '%Y-%m'), currency, gross_minor, "
    "refunds_minor, disputes_lost_minor, net_minor, payments_count, refunds_count, "
    "disputes_lost_count, disputes_lost_estimated_count from marts.rpt_revenue_monthly_by_gateway "
    "order by 1, 2, 3, 4"
)


def iso_minor(stripe_amount: int, currency: str) -> int:
    """An amount in Stripe's units as ISO 4217 minor units: 270000 ISK -> 2700, 1500 MGA ->
    150000, USD / JPY / KWD unchanged. The sandbox's amounts are whole ISO units."""
    shift = exponent(currency) - exponent(currency, gateway="stripe")
    value = Fraction(stripe_amount) * Fraction(10) ** shift
    assert value.denominator == 1, (stripe_amount, currency)
    return int(value)


def revenue_rows(totals: dict) -> list[tuple]:
    """The generator's monthly revenue as rpt_revenue_monthly's rows (REVENUE_ROWS_SQL): one
    row per (month, currency) with any movement, every amount and count, sorted."""
    gross, refunds, lost = totals["payments"], totals["refunds"], totals["lost_disputes"]
    estimated = totals["lost_disputes_estimated"]
    zero = {"amount": 0, "count": 0}
    rows = []
    for month, currency in sorted(set(gross) | set(refunds) | set(lost)):
        g, r, d = (t.get((month, currency), zero) for t in (gross, refunds, lost))
        amounts = [iso_minor(x["amount"], currency) for x in (g, r, d)]
        rows.append(
            (month, currency, *amounts, amounts[0] - amounts[1] - amounts[2],
             g["count"], r["count"], d["count"], estimated.get((month, currency), 0))
        )  # fmt: skip
    return rows


def gateway_revenue_rows(by_account: dict) -> list[tuple]:
    """The generator's monthly revenue per (gateway, account), `totals["by_account"]`, as
    rpt_revenue_monthly_by_gateway's rows (GATEWAY_REVENUE_ROWS_SQL), sorted."""
    return sorted(
        (gateway, account, *row)
        for (gateway, account), figures in by_account.items()
        for row in revenue_rows(figures)
    )
