"""Credit notes with their lines embedded (`lines`, has_more false: they are all there) and
their taxes (`total_taxes`, line `taxes`), as API 2026-10-28.endive sends them.

Line amounts are tax exclusive and already net of the invoice's discount (so
`discount_amount` is 0); `total` = `subtotal` + tax. Every credit note is post payment.
"""

from __future__ import annotations

from sandbox.business.model import CreditNote, CreditNoteLine
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_invoices import render_line_tax, render_total_taxes
from sandbox.stripe.render_parties import render_tax_rate
from sandbox.stripe.render_shapes import fresh, list_object


def render_credit_note_line(line: CreditNoteLine, ids: StripeIds) -> dict:
    obj = fresh("credit_note_line_item")
    custom = line.kind == "custom_line_item"
    obj.update(
        id=ids.of("cnli", line.id),
        amount=line.amount,
        description=line.description,
        discount_amount=0,
        discount_amounts=[],
        livemode=False,
        quantity=line.quantity,
        tax_rates=[render_tax_rate(line.tax.tax_rate, ids)] if line.tax else [],
        taxes=[render_line_tax(line.tax, ids)] if line.tax else [],
        type=line.kind,
        unit_amount=line.amount if custom else None,
        unit_amount_decimal=str(line.amount) if custom else None,
        pretax_credit_amounts=[],
        metadata={},
    )
    if custom:
        obj.pop("invoice_line_item", None)
    else:
        obj["invoice_line_item"] = ids.of("il", line.invoice_line.id)
    return obj


def render_credit_note(note: CreditNote, ids: StripeIds) -> dict:
    obj = fresh("credit_note")
    cid = ids.of("cn", note.id)
    inv = note.invoice
    refunds = []
    if note.refund is not None:
        refunds.append({
            "amount_refunded": note.total,
            "refund": ids.of("re", note.refund.id),
            "payment_record_refund": None,
            "type": "refund",
        })  # fmt: skip
    lines = [render_credit_note_line(line, ids) for line in note.lines]
    obj.update(
        id=cid,
        amount=note.total,
        amount_shipping=0,
        created=note.created,
        currency=note.currency.lower(),
        customer=ids.of("cus", inv.customer.id),
        customer_balance_transaction=None,
        discount_amount=0,
        discount_amounts=[],
        effective_at=note.created,
        invoice=ids.of("in", inv.id),
        lines=list_object(lines, f"/v1/credit_notes/{cid}/lines"),
        livemode=False,
        memo=note.memo,
        metadata={},
        number=note.number,
        out_of_band_amount=note.out_of_band_amount or None,
        pdf=f"https://pay.stripe.com/credit_notes/acct_demo/{cid[3:]}/pdf?s=ap",
        shipping_cost=None,
        status="issued",
        subtotal=note.subtotal,
        subtotal_excluding_tax=note.subtotal,
        total=note.total,
        total_excluding_tax=note.subtotal,
        type="post_payment",
        voided_at=None,
        pretax_credit_amounts=[],
        total_taxes=render_total_taxes(note.lines, ids),
        refunds=refunds,
        post_payment_amount=note.total,
        pre_payment_amount=0,
        reason=note.reason,
        customer_account=None,
    )
    return obj
