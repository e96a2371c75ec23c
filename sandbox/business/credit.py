"""Credit notes on paid invoices: for refunds of invoiced payments, and post-payment
adjustments settled outside Stripe (`out_of_band_amount`), with their lines and tax.

Rules (DECISIONLOG, issue 14):
- A refund (not a released authorization, not canceled) of a charge that paid exactly one
  invoice gets one credit note of the refunded amount, created with the refund. It stays
  issued when its refund fails later, as Stripe leaves it.
- A full refund of an invoice whose every line is non-negative and which had no credit balance
  applied credits each line (type invoice_line_item: the line's amount after discount and its
  tax). Any other credit is one custom line whose tax is split off the tax-inclusive amount:
  tax = round-half-up(amount * rate / (100 + rate)), subtotal = amount - tax.
- Adjustments: about one paid invoice in two hundred (at least two) gets a credit of a tenth of
  its total, out of band, a few days after it was paid; nothing moves in Stripe's balance.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from sandbox.business.billing import Books
from sandbox.business.clock import DAY, HISTORY_END
from sandbox.business.model import CreditNote, CreditNoteLine, Invoice, LineTax, Refund
from sandbox.business.plans import whole_unit

ADJUSTMENT_RATE = 0.005


def inclusive_tax(amount: int, percentage: str, unit: int = 1) -> int:
    """round-half-up(amount * rate / (100 + rate)) to a multiple of `unit` (whole kronur for
    ISK, `plans.whole_unit`), exact."""
    rate = Decimal(percentage)
    exact = Decimal(amount) * rate / ((Decimal(100) + rate) * unit)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * unit


def add_credit_notes(rng: random.Random, books: Books, refunds: list[Refund]) -> list[CreditNote]:
    notes: list[CreditNote] = []
    for refund in sorted(refunds, key=lambda r: (r.created, int(r.id[2:]))):
        pi = refund.charge.payment_intent
        if refund.is_release or refund.status == "canceled" or len(pi.invoices) != 1:
            continue
        inv = pi.invoices[0]
        reason = "duplicate" if refund.reason == "duplicate" else "product_unsatisfactory"
        note = _note(books, inv, refund.created, refund.amount, reason)
        note.refund = refund
        notes.append(note)
    paid = [i for i in books.invoices if i.status == "paid" and i.total > 0 and i.paid_at]
    count = max(2, round(len(paid) * ADJUSTMENT_RATE)) if paid else 0
    for inv in rng.sample(paid, min(count, len(paid))):
        at = inv.paid_at + rng.randint(DAY, 10 * DAY)
        if at > HISTORY_END or inv.credit_notes:
            continue
        unit = whole_unit(inv.currency)  # a tenth, in whole kronur for ISK
        note = _note(books, inv, at, max(unit, inv.total // 10 // unit * unit), "order_change",
                     custom=True)  # fmt: skip
        note.out_of_band_amount = note.total
        note.memo = "Goodwill credit for a service interruption"
        notes.append(note)
    return notes


def _note(books: Books, inv: Invoice, at: int, amount: int, reason: str, custom=False):
    full = (
        not custom
        and amount == inv.total
        and inv.starting_balance == 0
        and all(line.amount - line.discount_amount >= 0 for line in inv.lines)
    )
    lines: list[CreditNoteLine] = []
    if full:
        for line in inv.lines:
            net = line.amount - line.discount_amount
            tax = None
            if line.tax is not None:
                tax = LineTax(line.tax.tax_rate, net, line.tax.amount, line.tax.taxability_reason)
            lines.append(CreditNoteLine(
                books.next_id("cnli"), "invoice_line_item", line.description, net,
                line.quantity, line, tax,
            ))  # fmt: skip
    else:
        rated = next((line.tax for line in inv.lines if line.tax is not None), None)
        unit = whole_unit(inv.currency)
        tax_amount = inclusive_tax(amount, rated.tax_rate.percentage, unit) if rated else 0
        net = amount - tax_amount
        tax = LineTax(rated.tax_rate, net, tax_amount, rated.taxability_reason) if rated else None
        desc = "Goodwill credit" if custom else "Partial refund"
        lines.append(CreditNoteLine(books.next_id("cnli"), "custom_line_item", desc, net, 1,
                                    None, tax))  # fmt: skip
    subtotal = sum(line.amount for line in lines)
    tax_total = sum(line.tax.amount for line in lines if line.tax)
    note = CreditNote(
        books.next_id("cn"), f"{inv.number}-CN-{len(inv.credit_notes) + 1:02d}", inv, at,
        inv.currency, reason, lines, subtotal, tax_total, subtotal + tax_total,
    )  # fmt: skip
    inv.credit_notes.append(note)
    return note
