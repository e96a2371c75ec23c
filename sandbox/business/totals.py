"""The business's own figures, computed from the neutral model (never from a rendering).

All money is int minor units; keys use 'YYYY-MM' months (UTC) and upper-case currencies.

- payments[(month, currency)] = {"amount", "count"}: captured amounts of succeeded charges,
  by the month the charge was created.
- refunds[(month, currency)] = {"amount", "count"}: succeeded refunds by refund creation month.
- disputes_by_status[(status, currency)] = {"amount", "count"}: status is won / lost /
  needs_response / under_review.
- lost_disputes[(month, currency)] = {"amount", "count"}: lost disputes by dispute creation month.
- net_revenue[(month, currency)] = payments - refunds - lost disputes of that month.
- tax[(country, rate, currency)] = {"tax", "taxable", "taxability_reason", "invoices"}: over
  invoices with status paid, summed over their lines; `rate` is the percentage as text ("25.5",
  "0" for reverse charge, its own row). Lines without any tax rate are not in this table.
- mrr[(month, currency)]: at the last second of each month, over subscriptions whose status is
  active or past_due then (not trialing, not canceled), the sum over items of
  unit_amount * quantity; a yearly item counts round-half-even(unit_amount * quantity / 12).
  Before discounts and tax.
- counts[entity]: number of objects per entity, plus `persons`: distinct emails after
  trimming and lower-casing (each person has one email; twins are one person).
"""

from __future__ import annotations

from collections import defaultdict

from sandbox.business.clock import month_ends, month_key
from sandbox.business.model import Business


def half_even_div12(amount: int) -> int:
    """round-half-even(amount / 12), exact for non-negative ints."""
    q, r = divmod(amount, 12)
    if r * 2 > 12 or (r * 2 == 12 and q % 2 == 1):
        q += 1
    return q


def _bucket() -> defaultdict:
    return defaultdict(lambda: {"amount": 0, "count": 0})


def _add(table: defaultdict, key: tuple, amount: int) -> None:
    row = table[key]
    row["amount"] += amount
    row["count"] += 1


def compute_totals(b: Business) -> dict:
    payments, refunds, by_status, lost = _bucket(), _bucket(), _bucket(), _bucket()
    for charge in b.charges:
        if charge.status == "succeeded":
            _add(payments, (month_key(charge.created), charge.currency), charge.amount_captured)
    for refund in b.refunds:
        if refund.status == "succeeded":
            _add(refunds, (month_key(refund.created), refund.currency), refund.amount)
    for dispute in b.disputes:
        _add(by_status, (dispute.status, dispute.currency), dispute.amount)
        if dispute.status == "lost":
            _add(lost, (month_key(dispute.created), dispute.currency), dispute.amount)
    net: dict[tuple[str, str], int] = defaultdict(int)
    for key, row in payments.items():
        net[key] += row["amount"]
    for key, row in refunds.items():
        net[key] -= row["amount"]
    for key, row in lost.items():
        net[key] -= row["amount"]
    return {
        "payments": _plain(payments),
        "refunds": _plain(refunds),
        "disputes_by_status": _plain(by_status),
        "lost_disputes": _plain(lost),
        "net_revenue": dict(sorted(net.items())),
        "tax": _tax(b),
        "mrr": _mrr(b),
        "counts": _counts(b),
    }


def _plain(table: defaultdict) -> dict:
    return {key: dict(row) for key, row in sorted(table.items())}


def _tax(b: Business) -> dict:
    rows: dict = {}
    for invoice in b.invoices:
        if invoice.status != "paid":
            continue
        counted = set()
        for line in invoice.lines:
            if line.tax is None:
                continue
            rate = line.tax.tax_rate
            key = (rate.country, rate.percentage, invoice.currency)
            row = rows.setdefault(
                key, {"tax": 0, "taxable": 0, "taxability_reason": line.tax.taxability_reason,
                      "invoices": 0},
            )  # fmt: skip
            row["tax"] += line.tax.amount
            row["taxable"] += line.tax.taxable_amount
            if key not in counted:
                counted.add(key)
                row["invoices"] += 1
    return dict(sorted(rows.items()))


def _mrr(b: Business) -> dict:
    mrr: dict[tuple[str, str], int] = {}
    ends = month_ends()
    for sub in b.subscriptions:
        for month, last_second in ends:
            if sub.created > last_second:
                continue
            if sub.status_at(last_second) not in ("active", "past_due"):
                continue
            phase = sub.phase_at(last_second)
            if phase is None:
                continue
            amount = phase.plan.unit_amount * phase.quantity
            if phase.plan.interval == "year":
                amount = half_even_div12(amount)
            key = (month, phase.plan.currency)
            mrr[key] = mrr.get(key, 0) + amount
    return dict(sorted(mrr.items()))


def _counts(b: Business) -> dict[str, int]:
    return {
        "customers": len(b.customers),
        "persons": len({c.email.strip().lower() for c in b.customers}),
        "subscriptions": len(b.subscriptions),
        "invoices": len(b.invoices),
        "invoice_lines": sum(len(i.lines) for i in b.invoices),
        "payment_intents": len(b.payment_intents),
        "charges": len(b.charges),
        "refunds": len(b.refunds),
        "disputes": len(b.disputes),
    }
