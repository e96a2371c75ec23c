"""Subscriptions on their recorded shape: Active (a trial too: `trial-period` true and not billed
yet, next billing date still the first), Past Due, Canceled; `status-history` one event per
change, the subscription's transactions embedded.
"""

from __future__ import annotations

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree.render_transactions import merchant_account
from sandbox.braintree.shape import at, blank, child, day, empty_array, money, put

DAY = 86_400
SUBSCRIPTION_STATUS = {
    "trialing": "Active",
    "active": "Active",
    "past_due": "Past Due",
    "canceled": "Canceled",
}


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
