"""`render_business(business)`: the neutral history as Stripe objects of API 2026-10-28.endive.

Returns {entity: [object, ...]} for customers, tax_ids, charges, payment_intents, refunds,
disputes, subscriptions, invoices (all lines embedded), balance_transactions, tax_rates and
events (empty: the server adds events for writes). Lists are in creation order.
Ids are deterministic for a (seed, neutral id). Currencies are lower case, as Stripe sends them.
"""

from __future__ import annotations

from sandbox.business.model import Business
from sandbox.business.nogc import paused_gc
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_invoices import render_invoice
from sandbox.stripe.render_parties import render_customer, render_tax_id, render_tax_rate
from sandbox.stripe.render_payments import (
    balance_transaction,
    render_charge,
    render_dispute,
    render_payment_intent,
    render_refund,
)
from sandbox.stripe.render_subscriptions import render_subscription


def render_business(business: Business) -> dict[str, list[dict]]:
    with paused_gc():
        return _render(business)


def _render(business: Business) -> dict[str, list[dict]]:
    ids = StripeIds(business.seed)
    invoice_counts: dict[str, int] = {}
    delinquent: set[str] = set()
    for inv in business.invoices:
        invoice_counts[inv.customer.id] = invoice_counts.get(inv.customer.id, 0) + 1
        if inv.status in ("open", "uncollectible"):
            delinquent.add(inv.customer.id)
    customers = [
        render_customer(c, ids, invoice_counts.get(c.id, 0), c.id in delinquent)
        for c in business.customers
    ]
    transactions, dispute_transactions = _balance_transactions(business, ids)
    return {
        "customers": customers,
        "tax_ids": [render_tax_id(c, ids) for c in business.customers if c.tax_id],
        "tax_rates": [render_tax_rate(r, ids) for r in business.tax_rates],
        "subscriptions": [render_subscription(s, ids) for s in business.subscriptions],
        "invoices": [render_invoice(i, ids) for i in business.invoices],
        "payment_intents": [render_payment_intent(p, ids) for p in business.payment_intents],
        "charges": [render_charge(c, ids) for c in business.charges],
        "refunds": [render_refund(r, ids) for r in business.refunds],
        "disputes": [render_dispute(d, ids, dispute_transactions[d.id]) for d in business.disputes],
        "balance_transactions": transactions,
        "events": [],
    }


def _balance_transactions(business: Business, ids: StripeIds) -> tuple[list, dict]:
    """One per succeeded charge and refund; disputes: a debit, and a credit back when won."""
    out: list[dict] = []
    for ch in business.charges:
        if ch.status == "succeeded":
            out.append(balance_transaction(
                ids, ch.id, ids.of("ch", ch.id), "charge", "charge", ch.amount, ch.fee,
                ch.currency, ch.created, "Payment for invoice",
            ))  # fmt: skip
    for re in business.refunds:
        out.append(balance_transaction(
            ids, re.id, ids.of("re", re.id), "refund", "refund", -re.amount, 0, re.currency,
            re.created, "REFUND FOR CHARGE",
        ))  # fmt: skip
    by_dispute: dict[str, list[dict]] = {}
    for du in business.disputes:
        source = ids.of("dp", du.id)
        debit = balance_transaction(
            ids, du.id, source, "adjustment", "dispute", -du.amount, 0, du.currency,
            du.created, f"Chargeback withdrawal for {ids.of('ch', du.charge.id)}",
        )  # fmt: skip
        found = [debit]
        if du.status == "won" and du.closed_at is not None:
            found.append(balance_transaction(
                ids, f"{du.id}-won", source, "adjustment", "dispute_reversal", du.amount, 0,
                du.currency, du.closed_at, f"Chargeback reversal for {ids.of('ch', du.charge.id)}",
            ))  # fmt: skip
        by_dispute[du.id] = found
        out.extend(found)
    out.sort(key=lambda t: t["created"])
    return out, by_dispute
