"""`render_business(business)`: the neutral history as Stripe objects of API 2026-10-28.endive.

It renders every customer it is given: the Stripe sandbox serves one Stripe account's share
(`render_account(business, account)`, i.e. `shares.share(business, "stripe", account)`),
whose totals (`share(...).totals`) are what that account's warehouse must show.

Returns {entity: [object, ...]} for customers, tax_ids, charges, payment_intents, refunds,
disputes, subscriptions, invoices (all lines embedded, no `payments`), invoice_payments (one
per invoice a payment intent pays), credit_notes (lines embedded), balance_transactions,
tax_rates and events (the last 30 days: `render_events`), plus `"deleted": {entity: [ids]}`
(customers, and invoices: drafts only) whose objects stay in their lists in their last state
(their events refer to them); the store hides them. Lists are in creation order.
Ids are deterministic for a (seed, neutral id). Currencies are lower case, as Stripe sends them.
"""

from __future__ import annotations

from sandbox.business.model import Business
from sandbox.business.nogc import paused_gc
from sandbox.business.shares import share
from sandbox.stripe.render_balance import balance_transaction
from sandbox.stripe.render_credit_notes import render_credit_note
from sandbox.stripe.render_disputes import render_dispute
from sandbox.stripe.render_events import render_events
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_invoices import render_invoice, render_invoice_payment
from sandbox.stripe.render_parties import render_customer, render_tax_id, render_tax_rate
from sandbox.stripe.render_payments import (
    charge_has_money,
    refund_has_money,
    render_charge,
    render_payment_intent,
    render_refund,
)
from sandbox.stripe.render_subscriptions import render_subscription


def render_account(business: Business, account: str = "sandbox") -> dict:
    """The objects of one Stripe account: the business's stripe share of that account."""
    return render_business(share(business, "stripe", account))


def render_business(business: Business) -> dict:
    with paused_gc():
        return _render(business)


def _render(business: Business) -> dict:
    ids = StripeIds(business.seed)
    invoice_counts: dict[str, int] = {}
    delinquent: set[str] = set()
    for inv in business.invoices:
        if inv.status == "draft":
            continue
        invoice_counts[inv.customer.id] = invoice_counts.get(inv.customer.id, 0) + 1
        if inv.status in ("open", "uncollectible"):
            delinquent.add(inv.customer.id)
    transactions, dispute_transactions = _balance_transactions(business, ids)
    by_neutral: dict[str, dict[str, dict]] = {
        "customers": {
            c.id: render_customer(c, ids, invoice_counts.get(c.id, 0), c.id in delinquent)
            for c in business.customers
        },
        "subscriptions": {s.id: render_subscription(s, ids) for s in business.subscriptions},
        "invoices": {i.id: render_invoice(i, ids) for i in business.invoices},
        "payment_intents": {p.id: render_payment_intent(p, ids) for p in business.payment_intents},
        "charges": {c.id: render_charge(c, ids) for c in business.charges},
        "refunds": {r.id: render_refund(r, ids) for r in business.refunds},
        "disputes": {
            d.id: render_dispute(d, ids, dispute_transactions[d.id]) for d in business.disputes
        },
        "credit_notes": {n.id: render_credit_note(n, ids) for n in business.credit_notes},
        "invoice_payments": {
            inv.id: render_invoice_payment(inv, ids)
            for pi in business.payment_intents
            for inv in pi.invoices
        },
    }
    payments = sorted(by_neutral["invoice_payments"].values(), key=lambda p: p["created"])
    out: dict = {
        "customers": list(by_neutral["customers"].values()),
        "tax_ids": [
            render_tax_id(c, ids)
            for c in business.customers
            if c.tax_id and c.deleted_at is None  # Stripe deletes them with the customer
        ],
        "tax_rates": [render_tax_rate(r, ids) for r in business.tax_rates],
        "subscriptions": list(by_neutral["subscriptions"].values()),
        "invoices": list(by_neutral["invoices"].values()),
        "invoice_payments": payments,
        "credit_notes": list(by_neutral["credit_notes"].values()),
        "payment_intents": list(by_neutral["payment_intents"].values()),
        "charges": list(by_neutral["charges"].values()),
        "refunds": list(by_neutral["refunds"].values()),
        "disputes": list(by_neutral["disputes"].values()),
        "balance_transactions": transactions,
        "events": render_events(business, ids, by_neutral),
        "deleted": {
            "customers": [ids.of("cus", c.id) for c in business.customers if c.deleted_at],
            "invoices": [ids.of("in", i.id) for i in business.invoices if i.deleted_at],
        },
    }
    return out


def _balance_transactions(business: Business, ids: StripeIds) -> tuple[list, dict]:
    """One per charge that captured money (at its capture), one per refund that moved money
    and one more when such a refund failed (giving it back); disputes: a debit, and a credit
    back when won."""
    out: list[dict] = []
    for ch in business.charges:
        if charge_has_money(ch):
            out.append(balance_transaction(
                ids, ch.id, ids.of("ch", ch.id), "charge", "charge", ch.amount_captured, ch.fee,
                ch.currency, ch.captured_at or ch.created, "Payment for invoice",
            ))  # fmt: skip
    for re in business.refunds:
        if not refund_has_money(re):
            continue
        source = ids.of("re", re.id)
        out.append(balance_transaction(
            ids, re.id, source, "refund", "refund", -re.amount, 0, re.currency,
            re.created, "REFUND FOR CHARGE",
        ))  # fmt: skip
        if re.status == "failed":
            out.append(balance_transaction(
                ids, f"{re.id}-failure", source, "refund_failure", "refund_failure", re.amount,
                0, re.currency, re.history[-1][0], "REFUND FAILURE",
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
