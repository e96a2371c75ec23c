"""Disputes on their recorded shape: open (needs a response), disputed (evidence sent, under
review), won, lost, accepted (the merchant accepted: lost); each status in `status-history`
with its `effective-date`.
"""

from __future__ import annotations

import hashlib

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree.render_transactions import merchant_account
from sandbox.braintree.shape import at, blank, child, day, empty_array, money, put

DAY = 86_400
DISPUTE_REASONS = {
    "fraudulent": "fraud",
    "product_not_received": "product_not_received",
    "subscription_canceled": "cancelled_recurring_transaction",
    "general": "general",
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
