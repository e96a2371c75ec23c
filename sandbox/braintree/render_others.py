"""Disputes, subscriptions, customers and the catalogue (plans, add-ons, discounts) on their
recorded shapes.

Disputes: open (needs a response), disputed (evidence sent, under review), won, lost, accepted
(the merchant accepted: lost); each status in `status-history` with its `effective-date`.
Subscriptions: Active (a trial too: `trial-period` true and not billed yet, next billing date
still the first), Past Due, Canceled; `status-history` one event per change. Customers carry
the company's ids in custom fields `external-id` and `vat-id`.
"""

from __future__ import annotations

import hashlib

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree.render_transactions import merchant_account, split_name
from sandbox.braintree.shape import at, blank, child, day, empty_array, money, put

DAY = 86_400
DISPUTE_REASONS = {
    "fraudulent": "fraud",
    "product_not_received": "product_not_received",
    "subscription_canceled": "cancelled_recurring_transaction",
    "general": "general",
}
SUBSCRIPTION_STATUS = {
    "trialing": "Active",
    "active": "Active",
    "past_due": "Past Due",
    "canceled": "Canceled",
}


def dispute_events(dispute) -> list[tuple[int, str]]:
    events = [(dispute.created, "open")]
    if dispute.status in ("under_review", "won", "lost"):
        events.append((min(dispute.created + 3 * DAY, dispute.evidence_due_by), "disputed"))
    if dispute.status in ("won", "lost"):
        closed = dispute.closed_at or dispute.created + 30 * DAY
        word = dispute.status
        if word == "lost" and hashlib.sha1(dispute.id.encode()).digest()[0] % 3 == 0:
            word = "accepted"  # the merchant accepted the chargeback: lost, in its own word
            events.pop()  # an accepted dispute is never contested
        events.append((closed, word))
    return events


def dispute(d) -> etree._Element:
    el = blank("dispute")
    dispute_id = ids.dispute_id(d.id)
    charge = d.charge
    events = dispute_events(d)
    status = events[-1][1]
    put(el, "id", dispute_id)
    put(el, "global-id", ids.global_id("dispute", dispute_id))
    put(el, "amount", money(d.amount, d.currency))
    put(el, "amount-disputed", money(d.amount, d.currency))
    put(el, "amount-won", money(d.amount if status == "won" else 0, d.currency))
    put(el, "case-number", f"CB{int(hashlib.sha1(d.id.encode()).hexdigest()[:10], 16):012d}")
    put(el, "created-at", at(d.created))
    put(el, "currency-iso-code", d.currency)
    put(el, "date-opened", day(d.created))
    won = put(el, "date-won", day(events[-1][0]) if status == "won" else None)
    if status == "won":
        won.set("type", "date")
    put(el, "merchant-account-id", merchant_account(d.currency))
    put(el, "reason", DISPUTE_REASONS.get(d.reason, "general"))
    put(el, "reason-code", "10.4" if d.reason == "fraudulent" else "13.1")
    put(el, "received-date", day(d.created))
    put(el, "reply-by-date", day(d.evidence_due_by))
    put(el, "processor-reply-by-date", day(d.evidence_due_by + 4 * DAY))
    put(el, "response-deadline", at(d.evidence_due_by))
    put(el, "status", status)
    put(el, "updated-at", at(events[-1][0]))
    history = empty_array(el, "status-history")
    for t, s in events:
        event = etree.SubElement(history, "status-history")
        child(event, "disbursement-date", day(t) if s in ("open", "won") else None, "date")
        child(event, "effective-date", day(t), "date")
        child(event, "status", s)
        child(event, "timestamp", at(t), "datetime")
    txn_id = ids.transaction_id(charge.id)
    put(el, "transaction/id", txn_id)
    put(el, "transaction/global-id", ids.global_id("transaction", txn_id))
    put(el, "transaction/amount", money(charge.amount, charge.currency))
    put(el, "transaction/created-at", at(charge.created))
    return el


def subscription_events(sub) -> list[tuple[int, str]]:
    events: list[tuple[int, str]] = []
    for span in sub.statuses:
        word = SUBSCRIPTION_STATUS.get(span.status, "Active")
        if not events or events[-1][1] != word:
            events.append((span.start, word))
    return events


def subscription(sub, transactions: list[etree._Element]) -> etree._Element:
    el = blank("subscription")
    sub_id = ids.subscription_id(sub.id)
    phase = sub.phases[-1]
    plan = phase.plan
    currency = plan.currency
    price = plan.unit_amount * phase.quantity
    events = subscription_events(sub)
    status = events[-1][1]
    trial = sub.trial_end is not None
    first_billing = sub.trial_end or sub.created
    in_trial = sub.status == "trialing"
    put(el, "balance", money(0, currency))
    put(el, "billing-day-of-month", int(day(first_billing)[-2:]))
    put(el, "billing-period-end-date", day(sub.current_period_end - 1))
    put(el, "billing-period-start-date", day(sub.current_period_start))
    put(el, "created-at", at(sub.created))
    put(el, "updated-at", at(events[-1][0]))
    put(el, "current-billing-cycle", 0 if in_trial else max(1, len(transactions)))
    past_due = put(el, "days-past-due", None)
    if status == "Past Due":
        past_due.attrib.pop("nil", None)
        past_due.set("type", "integer")
        past_due.text = str(max(1, (sub.current_period_end - events[-1][0]) // DAY % 30))
    put(el, "failure-count", 1 if status == "Past Due" else 0)
    put(el, "first-billing-date", day(first_billing))
    put(el, "id", sub_id)
    put(el, "merchant-account-id", merchant_account(currency))
    put(el, "next-bill-amount", money(price, currency))
    put(el, "next-billing-period-amount", money(price, currency))
    open_ = status in ("Active", "Past Due")
    put(el, "next-billing-date", day(first_billing if in_trial else sub.current_period_end))
    if not open_:
        put(el, "next-billing-date", None).attrib.pop("type", None)
    put(el, "paid-through-date", day(sub.current_period_end - 1))
    put(el, "payment-method-token", ids.token(sub.customer.id))
    put(el, "plan-id", plan.id)
    put(el, "price", money(price, currency))
    put(el, "status", status)
    trial_days = (sub.trial_end - sub.trial_start) // DAY if trial and sub.trial_start else None
    put(el, "trial-duration", trial_days)
    put(el, "trial-period", trial)
    add_ons = empty_array(el, "add-ons")
    for addon in sub.addons:
        item = etree.SubElement(add_ons, "add-on")
        child(item, "amount", money(addon.phase.plan.unit_amount, currency))
        child(item, "current-billing-cycle", 1, "integer")
        child(item, "id", addon.phase.plan.id)
        child(item, "never-expires", True, "boolean")
        child(item, "number-of-billing-cycles", None)
        child(item, "quantity", addon.phase.quantity, "integer")
    discounts = empty_array(el, "discounts")
    if sub.coupon is not None:
        coupon = sub.coupon
        off = coupon.amount_off or price * (coupon.percent_off or 0) // 100
        item = etree.SubElement(discounts, "discount")
        child(item, "amount", money(off, currency))
        child(item, "current-billing-cycle", 1, "integer")
        child(item, "id", coupon.id)
        child(item, "never-expires", coupon.duration == "forever", "boolean")
        cycles = coupon.duration_in_months if coupon.duration == "repeating" else None
        child(item, "number-of-billing-cycles", cycles, "integer" if cycles else None)
        child(item, "quantity", 1, "integer")
    embedded = empty_array(el, "transactions")
    for txn in transactions:
        embedded.append(txn)
    history = empty_array(el, "status-history")
    for t, s in events:
        event = etree.SubElement(history, "status-event")
        child(event, "timestamp", at(t), "datetime")
        child(event, "status", s)
        child(event, "user", "ledgerdesk")
        child(event, "subscription-source", "api" if s == "Canceled" else "recurring")
        child(event, "balance", money(0, currency))
        child(event, "price", money(price, currency))
        child(event, "currency-iso-code", currency)
        child(event, "plan-id", plan.id)
    return el


def customer(c, merchant_id: str) -> etree._Element:
    el = blank("customer")
    cid = ids.customer_id(c.id)
    first, last = split_name(c.name)
    put(el, "id", cid)
    put(el, "merchant-id", merchant_id)
    put(el, "first-name", first)
    put(el, "last-name", last)
    put(el, "company", c.name if c.is_business else None)
    put(el, "email", c.email)
    put(el, "created-at", at(c.created))
    put(el, "updated-at", at(c.created))
    put(el, "global-id", ids.global_id("customer", cid))
    fields = empty_array(el, "custom-fields")
    if getattr(c, "external_id", None):
        child(fields, "external-id", c.external_id)
    if c.tax_id:
        child(fields, "vat-id", c.tax_id)
    card = el.find("credit-cards/credit-card")
    empty_array(card, "verifications")
    token = ids.token(c.id)
    for root in (card, card.find("billing-address"), el.find("addresses/address")):
        if root.find("customer-id") is not None:
            put(root, "customer-id", cid)
        if root.find("created-at") is not None:
            put(root, "created-at", at(c.created))
            put(root, "updated-at", at(c.created))
    for address in (card.find("billing-address"), el.find("addresses/address")):
        put(address, "postal-code", c.postal_code)
        put(address, "locality", c.city)
        put(address, "region", c.state)
        put(address, "country-code-alpha2", c.country)
    put(card, "customer-global-id", ids.global_id("customer", cid))
    put(card, "token", token)
    put(card, "last-4", c.card.last4)
    put(card, "expiration-month", f"{c.card.exp_month:02d}")
    put(card, "expiration-year", str(c.card.exp_year))
    put(card, "unique-number-identifier", c.card.fingerprint)
    put(card, "global-id", ids.global_id("paymentmethod_cc", token))
    return el


def plan(p, merchant_id: str) -> etree._Element:
    el = blank("plan")
    put(el, "id", p.id)
    put(el, "merchant-id", merchant_id)
    put(el, "billing-frequency", 12 if p.interval == "year" else 1)
    put(el, "currency-iso-code", p.currency)
    put(el, "description", f"{p.product} ({p.interval}ly, {p.currency})")
    put(el, "name", f"{p.product} {p.interval}ly {p.currency}")
    put(el, "price", money(p.unit_amount, p.currency))
    put(el, "created-at", at(p.created))
    put(el, "updated-at", at(p.created))
    empty_array(el, "add-ons")
    empty_array(el, "discounts")
    return el


def add_on(p, merchant_id: str) -> etree._Element:
    el = blank("add_on")
    put(el, "amount", money(p.unit_amount, p.currency))
    put(el, "created-at", at(p.created))
    put(el, "description", f"{p.product} add-on ({p.currency})")
    put(el, "id", p.id)
    put(el, "merchant-id", merchant_id)
    put(el, "name", p.product)
    put(el, "updated-at", at(p.created))
    return el


def discount(coupon, merchant_id: str, created: int) -> etree._Element:
    """A coupon as a discount: Braintree discounts are amounts; a percent coupon's amount is
    worked out per subscription, so the catalogue entry carries 0 and says the percent."""
    el = blank("discount")
    currency = coupon.currency or "USD"
    put(el, "amount", money(coupon.amount_off or 0, currency))
    put(el, "created-at", at(coupon.created or created))
    put(el, "description", coupon.name)
    put(el, "id", coupon.id)
    put(el, "merchant-id", merchant_id)
    put(el, "name", coupon.name)
    put(el, "never-expires", coupon.duration == "forever")
    cycles = put(el, "number-of-billing-cycles", coupon.duration_in_months)
    if coupon.duration_in_months:
        cycles.set("type", "integer")
    put(el, "updated-at", at(coupon.created or created))
    return el
