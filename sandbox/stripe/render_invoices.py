"""Invoices with all their lines, taxes (`total_taxes`) and discounts; their invoice payments.

An invoice has no `payments` (absent unless expanded, in API 2026-10-28.endive): its payments
are `invoice_payment` objects of their own (`render_invoice_payment`), one per invoice a
payment intent pays, so one payment intent paying three invoices has three of them.
A draft has no number, no finalization time and no hosted page yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from sandbox.business.model import Invoice, InvoiceLine, LineTax
from sandbox.business.tax import SELLER_COUNTRY
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_parties import address, is_reverse_charge
from sandbox.stripe.render_shapes import fresh, list_object
from sandbox.stripe.render_subscriptions import discount_id

ACCOUNT_NAME = "Ledgerdesk Demo Ltd"


def render_line_tax(tax: LineTax, ids: StripeIds) -> dict:
    """One entry of a line's `taxes` (invoice and credit note lines alike)."""
    return {
        "amount": tax.amount,
        "tax_behavior": "exclusive",
        "tax_rate_details": {"tax_rate": ids.of("txr", tax.tax_rate.id)},
        "taxability_reason": tax.taxability_reason,
        "taxable_amount": tax.taxable_amount,
        "type": "tax_rate_details",
    }


def _credit(amount: int, discount: str) -> dict:
    return {
        "amount": amount,
        "credit_balance_transaction": None,
        "discount": discount,
        "type": "discount",
    }


def render_line(line: InvoiceLine, inv: Invoice, ids: StripeIds) -> dict:
    obj = fresh("line_item")
    sub = inv.subscription
    sub_id = ids.of("sub", sub.id) if sub else None
    di = discount_id(sub, ids) if (sub and inv.coupon) else None
    parent: dict = {"invoice_item_details": None, "subscription_item_details": None}
    if line.kind == "one_off" or sub is None:
        parent["type"] = "invoice_item_details"
        parent["invoice_item_details"] = {
            "invoice_item": ids.of("ii", line.id),
            "proration": False,
            "proration_details": {"credited_items": None},
            "subscription": sub_id,
        }
    else:
        parent["type"] = "subscription_item_details"
        parent["subscription_item_details"] = {
            "invoice_item": ids.of("ii", line.id) if line.kind == "proration" else None,
            "proration": line.kind == "proration",
            "proration_details": {"credited_items": None},
            "subscription": sub_id,
            "subscription_item": ids.of("si", line.item_id or sub.item_id),
        }
    pricing = {"type": "price_details", "unit_amount_decimal": None}
    if line.plan is not None:
        pricing["price_details"] = {
            "price": ids.of("price", line.plan.id),
            "product": ids.of("prod", line.plan.product),
        }
        pricing["unit_amount_decimal"] = str(line.plan.unit_amount)
    else:
        pricing["unit_amount_decimal"] = str(line.amount)
    discounted = di is not None and line.discount_amount
    obj.update(
        id=ids.of("il", line.id),
        amount=line.amount,
        currency=inv.currency.lower(),
        description=line.description,
        discount_amounts=[{"amount": line.discount_amount, "discount": di}] if discounted else [],
        discounts=[di] if di else [],
        invoice=ids.of("in", inv.id),
        period={"end": line.period_end, "start": line.period_start},
        quantity=line.quantity,
        subscription=sub_id,
        pretax_credit_amounts=[_credit(line.discount_amount, di)] if discounted else [],
        taxes=[render_line_tax(line.tax, ids)] if line.tax else [],
        parent=parent,
        pricing=pricing,
        subtotal=line.amount,
        quantity_decimal=str(line.quantity),
    )
    return obj


def render_total_taxes(lines: Iterable, ids: StripeIds) -> list[dict]:
    """`total_taxes` of an invoice or credit note: its lines' taxes summed per tax rate."""
    by_rate: dict[str, dict] = {}
    for line in lines:
        if line.tax is None:
            continue
        row = by_rate.get(line.tax.tax_rate.id)
        if row is None:
            by_rate[line.tax.tax_rate.id] = render_line_tax(line.tax, ids)
        else:
            row["amount"] += line.tax.amount
            row["taxable_amount"] += line.tax.taxable_amount
    return list(by_rate.values())


def render_invoice_payment(inv: Invoice, ids: StripeIds) -> dict:
    pi = inv.payment_intent
    obj = fresh("invoice_payment")
    paid = inv.status == "paid"
    obj.update(
        id=ids.of("inpay", inv.id),
        amount_paid=inv.amount_paid if paid else None,
        amount_requested=inv.amount_due,
        created=pi.created,
        currency=inv.currency.lower(),
        invoice=ids.of("in", inv.id),
        is_default=True,
        livemode=False,
        payment={"type": "payment_intent", "payment_intent": ids.of("pi", pi.id)},
        status="paid" if paid else "open",
        status_transitions={"canceled_at": None, "paid_at": inv.paid_at if paid else None},
    )
    return obj


def render_invoice(inv: Invoice, ids: StripeIds) -> dict:
    obj = fresh("invoice")
    iid = ids.of("in", inv.id)
    c = inv.customer
    sub = inv.subscription
    di = discount_id(sub, ids) if (sub and inv.coupon) else None
    paid = inv.status == "paid"
    lines = [render_line(line, inv, ids) for line in inv.lines]
    draft = inv.status == "draft"
    hosted = None if draft else f"https://invoice.stripe.com/i/acct_demo/{iid[3:]}"
    obj.update(
        id=iid,
        account_country=SELLER_COUNTRY,
        account_name=ACCOUNT_NAME,
        amount_due=inv.amount_due,
        amount_paid=inv.amount_paid,
        amount_remaining=inv.amount_due - inv.amount_paid,
        attempt_count=inv.attempt_count,
        attempted=inv.attempt_count > 0 or paid,
        auto_advance=inv.status in ("open", "draft"),
        automatic_tax={
            "enabled": False,
            "liability": None,
            "status": None,
            "disabled_reason": None,
            "provider": None,
        },
        billing_reason=inv.billing_reason,
        created=inv.created,
        currency=inv.currency.lower(),
        customer=ids.of("cus", c.id),
        customer_address=address(c),
        customer_email=c.email,
        customer_name=c.name,
        customer_shipping=None,
        customer_tax_exempt="reverse" if is_reverse_charge(c) else "none",
        customer_tax_ids=[{"type": c.tax_id_type, "value": c.tax_id}] if c.tax_id else [],
        discounts=[di] if di else [],
        due_date=None,
        effective_at=None if draft else inv.created,
        ending_balance=inv.ending_balance,
        from_invoice=None,
        hosted_invoice_url=hosted,
        invoice_pdf=None if draft else f"{hosted}/pdf",
        last_finalization_error=None,
        lines=list_object(lines, f"/v1/invoices/{iid}/lines", with_count=True),
        next_payment_attempt=inv.next_payment_attempt,
        number=inv.number or None,
        # A one-off invoice has no parent at all (the SDK's `type` admits no null).
        parent={
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": ids.of("sub", sub.id)},
            "type": "subscription_details",
        }
        if sub
        else None,
        payment_settings={
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        period_end=inv.period_end,
        period_start=inv.period_start,
        rendering=None,
        shipping_cost=None,
        shipping_details=None,
        starting_balance=inv.starting_balance,
        status=inv.status,
        status_transitions={
            "finalized_at": None if draft else inv.created,
            "marked_uncollectible_at": _uncollectible_at(inv),
            "paid_at": inv.paid_at if paid else None,
            "voided_at": None,
        },
        subscription=None,
        subtotal=inv.subtotal,
        subtotal_excluding_tax=inv.subtotal,
        total=inv.total,
        total_discount_amounts=[{"amount": inv.discount_amount, "discount": di}] if di else [],
        total_excluding_tax=inv.subtotal - inv.discount_amount,
        webhooks_delivered_at=None if draft else inv.created,
        total_pretax_credit_amounts=[_credit(inv.discount_amount, di)] if di else [],
        total_taxes=render_total_taxes(inv.lines, ids),
        amount_overpaid=0,
        post_payment_credit_notes_amount=sum(note.total for note in inv.credit_notes),
        pre_payment_credit_notes_amount=0,
    )
    return obj


def _uncollectible_at(inv: Invoice) -> int | None:
    """After the last failed retry; None unless the invoice is uncollectible."""
    if inv.status != "uncollectible":
        return None
    charges = inv.payment_intent.charges if inv.payment_intent else []
    return charges[-1].created if charges else inv.created
