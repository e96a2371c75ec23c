"""The generator's figures of invoices and subscriptions: credit notes, tax by rate, MRR
(sandbox/business/totals.py says what each table holds)."""

from __future__ import annotations

from sandbox.business.clock import month_ends, month_key
from sandbox.business.model import Business


def half_even_div12(amount: int) -> int:
    """round-half-even(amount / 12), exact for non-negative ints."""
    q, r = divmod(amount, 12)
    if r * 2 > 12 or (r * 2 == 12 and q % 2 == 1):
        q += 1
    return q


def credit_note_totals(b: Business) -> dict:
    rows: dict = {}
    for note in b.credit_notes:
        key = (month_key(note.created), note.currency)
        row = rows.setdefault(key, {"total": 0, "tax": 0, "count": 0, "out_of_band": 0})
        row["total"] += note.total
        row["tax"] += note.tax_amount
        row["count"] += 1
        row["out_of_band"] += note.out_of_band_amount
    return dict(sorted(rows.items()))


def tax_totals(b: Business) -> dict:
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


def mrr_totals(b: Business) -> dict:
    mrr: dict[tuple[str, str], int] = {}
    ends = month_ends()
    for sub in b.subscriptions:
        for month, last_second in ends:
            if sub.created > last_second:
                continue
            if sub.status_at(last_second) not in ("active", "past_due"):
                continue
            for phase in sub.items_at(last_second):  # the main item and its add-ons
                amount = phase.plan.unit_amount * phase.quantity
                if phase.plan.interval == "year":
                    amount = half_even_div12(amount)
                key = (month, phase.plan.currency)
                mrr[key] = mrr.get(key, 0) + amount
    return dict(sorted(mrr.items()))
