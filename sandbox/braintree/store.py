"""The Braintree account's objects, rendered once from the business share, searchable by the
fields Braintree's searches take (`records.py`), and changeable as the real gateway changes
them (`changes.py`).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from lxml import etree

from sandbox.braintree import render_customers as customers
from sandbox.braintree import render_disputes as disputes
from sandbox.braintree import render_subscriptions as subscriptions
from sandbox.braintree import render_transactions as txns
from sandbox.braintree.changes import StoreChanges
from sandbox.braintree.records import (
    Record,
    index_customer,
    index_dispute,
    index_simple,
    index_subscription,
    index_transaction,
)
from sandbox.braintree.shape import EXPONENTS

MERCHANT_ID = "ledgerdesk_sandbox"
KINDS = ("transactions", "customers", "subscriptions", "disputes", "plans", "add_ons", "discounts")


class BraintreeStore(StoreChanges):
    def __init__(self, business, *, merchant_id: str = MERCHANT_ID, clock=None) -> None:
        self.business = business
        self.merchant_id = merchant_id
        self.clock: Callable[[], float] = clock or time.time
        self.records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        self.changes = 0  # bumped on every change (a cache key for the server's pages)
        self._render(business)

    # -- building ------------------------------------------------------------------------
    def _render(self, b) -> None:
        sales: dict[str, etree._Element] = {}
        disputes_of: dict[str, list] = {}
        for d in b.disputes:
            disputes_of.setdefault(d.charge.id, []).append(d)
        for charge in sorted(b.charges, key=lambda c: (c.created, c.id)):
            el = txns.sale(charge)
            holder = el.find("disputes")
            for d in disputes_of.get(charge.id, []):
                holder.append(disputes.dispute(d))
            sales[charge.id] = el
            self._add("transactions", el, charge.created, index_transaction)
        for refund in b.refunds:
            if not refund.is_release:
                self._add("transactions", txns.credit(refund), refund.created, index_transaction)
        for d in b.disputes:
            self._add("disputes", disputes.dispute(d), d.created, index_dispute)
        by_sub: dict[str, list] = {}
        for charge in b.charges:
            invoice = charge.payment_intent.invoice if charge.payment_intent else None
            if invoice is not None and invoice.subscription is not None:
                by_sub.setdefault(invoice.subscription.id, []).append(charge)
        for sub in b.subscriptions:
            charges = sorted(by_sub.get(sub.id, []), key=lambda c: c.created)
            embedded = [copy.deepcopy(sales[c.id]) for c in charges if c.id in sales]
            el = subscriptions.subscription(sub, embedded)
            self._add("subscriptions", el, sub.created, index_subscription)
        for c in b.customers:
            if c.deleted_at is None:
                el = customers.customer(c, self.merchant_id)
                self._add("customers", el, c.created, index_customer)
        addon_plans = {a.phase.plan.id: a.phase.plan for s in b.subscriptions for a in s.addons}
        for p in b.plans:
            if p.id in addon_plans or p.currency not in EXPONENTS:
                continue  # a currency this account does not take has no plan here
            self._add("plans", customers.plan(p, self.merchant_id), p.created, index_simple)
        for p in addon_plans.values():
            self._add("add_ons", customers.add_on(p, self.merchant_id), p.created, index_simple)
        for coupon in b.coupons:
            if coupon.currency is not None and coupon.currency not in EXPONENTS:
                continue
            el = customers.discount(coupon, self.merchant_id, b.history_start)
            self._add("discounts", el, coupon.created or b.history_start, index_simple)

    def _add(self, kind: str, el, created: int, index) -> Record:
        rec = index(Record(el, created))
        self.records[kind][el.findtext("id")] = rec
        return rec

    def now(self) -> int:
        return int(self.clock())

    def get(self, kind: str, object_id: str) -> Record:
        return self.records[kind][object_id]
