"""The Braintree account's objects, rendered once from the business share, searchable by the
fields Braintree's searches take, and changeable (refund, settle, dispute, cancel) as the real
gateway changes them, so tests can show later changes reaching the warehouse.

Each record keeps its element and the values its search fields take (`fields`: name -> Unix
seconds, several for the status-date fields); its bytes are cached until it changes.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree import render_others as others
from sandbox.braintree import render_transactions as txns
from sandbox.braintree.shape import EXPONENTS, at, child, day, money, put, to_bytes

DAY = 86_400
MERCHANT_ID = "ledgerdesk_sandbox"
KINDS = ("transactions", "customers", "subscriptions", "disputes", "plans", "add_ons", "discounts")
TXN_STATUS_DATES = {
    "authorized": "authorized_at",
    "submitted_for_settlement": "submitted_for_settlement_at",
    "settled": "settled_at",
    "voided": "voided_at",
    "failed": "failed_at",
    "processor_declined": "processor_declined_at",
    "gateway_rejected": "gateway_rejected_at",
}


def parse_time(text: str | None) -> int | None:
    if not text:
        return None
    fmt = "%Y-%m-%d" if len(text) == 10 else "%Y-%m-%dT%H:%M:%SZ"
    return int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())


@dataclass
class Record:
    el: etree._Element
    created: int
    fields: dict[str, list[int]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)  # text/multi-value fields
    _bytes: bytes | None = None

    def xml(self) -> bytes:
        if self._bytes is None:
            self._bytes = to_bytes(self.el)
        return self._bytes

    def changed(self) -> None:
        self._bytes = None


def index_transaction(rec: Record) -> Record:
    el = rec.el
    fields: dict[str, list[int]] = {"created_at": [parse_time(el.findtext("created-at"))]}
    for event in el.iterfind("status-history/status-event"):
        name = TXN_STATUS_DATES.get(event.findtext("status"))
        if name:
            fields.setdefault(name, []).append(parse_time(event.findtext("timestamp")))
    disbursed = parse_time(el.findtext("disbursement-details/disbursement-date"))
    if disbursed is not None:
        fields["disbursement_date"] = [disbursed]
    disputed = [parse_time(d.findtext("received-date")) for d in el.iterfind("disputes/dispute")]
    if disputed:
        fields["dispute_date"] = disputed
    rec.fields = fields
    rec.words = {
        "id": [el.findtext("id")],
        "status": [el.findtext("status")],
        "type": [el.findtext("type")],
        "customer_id": [el.findtext("customer/id") or ""],
        "currency": [el.findtext("currency-iso-code")],
        "merchant_account_id": [el.findtext("merchant-account-id")],
    }
    rec.changed()
    return rec


def index_dispute(rec: Record) -> Record:
    el = rec.el
    history = list(el.iterfind("status-history/status-history"))
    rec.fields = {
        "received_date": [parse_time(el.findtext("received-date"))],
        "reply_by_date": [parse_time(el.findtext("reply-by-date"))],
        "effective_date": [parse_time(h.findtext("effective-date")) for h in history],
        "disbursement_date": [
            t for h in history if (t := parse_time(h.findtext("disbursement-date"))) is not None
        ],
    }
    rec.words = {
        "id": [el.findtext("id")],
        "status": [el.findtext("status")],
        "kind": [el.findtext("kind")],
        "reason": [el.findtext("reason")],
        "transaction_id": [el.findtext("transaction/id")],
        "merchant_account_id": [el.findtext("merchant-account-id")],
    }
    rec.changed()
    return rec


def index_simple(rec: Record, words: tuple[str, ...] = ()) -> Record:
    el = rec.el
    rec.fields = {"created_at": [parse_time(el.findtext("created-at"))]}
    nbd = parse_time(el.findtext("next-billing-date"))
    if nbd is not None:
        rec.fields["next_billing_date"] = [nbd]
    rec.words = {"id": [el.findtext("id")]}
    for name in words:
        rec.words[name] = [el.findtext(name.replace("_", "-")) or ""]
    rec.changed()
    return rec


class BraintreeStore:
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
                holder.append(others.dispute(d))
            sales[charge.id] = el
            self._add("transactions", el, charge.created, index_transaction)
        for refund in b.refunds:
            if not refund.is_release:
                self._add("transactions", txns.credit(refund), refund.created, index_transaction)
        for d in b.disputes:
            self._add("disputes", others.dispute(d), d.created, index_dispute)
        by_sub: dict[str, list] = {}
        for charge in b.charges:
            invoice = charge.payment_intent.invoice if charge.payment_intent else None
            if invoice is not None and invoice.subscription is not None:
                by_sub.setdefault(invoice.subscription.id, []).append(charge)
        for sub in b.subscriptions:
            charges = sorted(by_sub.get(sub.id, []), key=lambda c: c.created)
            embedded = [copy.deepcopy(sales[c.id]) for c in charges if c.id in sales]
            el = others.subscription(sub, embedded)
            self._add("subscriptions", el, sub.created, _index_subscription)
        for c in b.customers:
            if c.deleted_at is None:
                el = others.customer(c, self.merchant_id)
                self._add("customers", el, c.created, _index_customer)
        addon_plans = {a.phase.plan.id: a.phase.plan for s in b.subscriptions for a in s.addons}
        for p in b.plans:
            if p.id in addon_plans or p.currency not in EXPONENTS:
                continue  # a currency this account does not take has no plan here
            self._add("plans", others.plan(p, self.merchant_id), p.created, index_simple)
        for p in addon_plans.values():
            self._add("add_ons", others.add_on(p, self.merchant_id), p.created, index_simple)
        for coupon in b.coupons:
            if coupon.currency is not None and coupon.currency not in EXPONENTS:
                continue
            el = others.discount(coupon, self.merchant_id, b.history_start)
            self._add("discounts", el, coupon.created or b.history_start, index_simple)

    def _add(self, kind: str, el, created: int, index) -> Record:
        rec = index(Record(el, created))
        self.records[kind][el.findtext("id")] = rec
        return rec

    def now(self) -> int:
        return int(self.clock())

    def get(self, kind: str, object_id: str) -> Record:
        return self.records[kind][object_id]

    def _touch(self, rec: Record, kind: str, t: int) -> None:
        put(rec.el, "updated-at", at(t))
        (index_dispute if kind == "disputes" else index_transaction)(rec)
        self.changes += 1

    # -- changes, as the real gateway makes them -------------------------------------------
    def refund(self, sale_id: str, amount_minor: int | None = None, at_time: int | None = None):
        """A credit transaction on a settled sale (submitted for settlement, as Braintree)."""
        t = at_time or self.now()
        sale = self.get("transactions", sale_id)
        currency = sale.el.findtext("currency-iso-code")
        el = copy.deepcopy(sale.el)
        credit_id = ids.transaction_id(f"refund:{sale_id}:{t}:{self.changes}")
        amount = (
            sale.el.findtext("amount") if amount_minor is None else money(amount_minor, currency)
        )
        for path, value in (
            ("id", credit_id),
            ("type", "credit"),
            ("status", "submitted_for_settlement"),
            ("amount", amount),
            ("created-at", at(t)),
            ("updated-at", at(t)),
            ("refunded-transaction-id", sale_id),
            ("settlement-batch-id", None),
            ("global-id", ids.global_id("transaction", credit_id)),
            ("refund-id", None),
        ):
            put(el, path, value)
        for holder in ("refund-ids", "disputes", "status-history"):
            for c in list(el.find(holder)):
                el.find(holder).remove(c)
        for name in ("disbursement-date", "settlement-amount", "settlement-currency-iso-code",
                     "settlement-currency-exchange-rate", "funds-held", "success"):  # fmt: skip
            put(el, f"disbursement-details/{name}", None)
        _event(el, t, "submitted_for_settlement", amount)
        self._add("transactions", el, t, index_transaction)
        child(sale.el.find("refund-ids"), "item", credit_id)
        put(sale.el, "refund-id", credit_id)
        sale.changed()  # refund-ids change no status date: the credit itself carries the link
        self.changes += 1
        return credit_id

    def settle(self, txn_id: str, at_time: int | None = None) -> None:
        t = at_time or self.now()
        rec = self.get("transactions", txn_id)
        el = rec.el
        put(el, "status", "settled")
        _event(el, t, "settled", el.findtext("amount"))
        currency = el.findtext("currency-iso-code")
        put(el, "settlement-batch-id", f"{day(t)}_{el.findtext('merchant-account-id')}")
        put(el, "disbursement-details/disbursement-date", day(t + DAY)).set("type", "date")
        put(el, "disbursement-details/settlement-amount", el.findtext("amount"))
        put(el, "disbursement-details/settlement-currency-iso-code", currency)
        put(el, "disbursement-details/settlement-currency-exchange-rate", "1")
        put(el, "disbursement-details/funds-held", False).set("type", "boolean")
        put(el, "disbursement-details/success", True).set("type", "boolean")
        self._touch(rec, "transactions", t)

    def void(self, txn_id: str, at_time: int | None = None) -> None:
        t = at_time or self.now()
        rec = self.get("transactions", txn_id)
        put(rec.el, "status", "voided")
        _event(rec.el, t, "voided", rec.el.findtext("amount"))
        self._touch(rec, "transactions", t)

    def open_dispute(self, sale_id: str, at_time: int | None = None) -> str:
        """A chargeback on a sale: a new dispute, also embedded in the sale (dispute_date)."""
        t = at_time or self.now()
        sale = self.get("transactions", sale_id)
        template = next(iter(self.records["disputes"].values()), None)
        if template is None:
            raise RuntimeError("no dispute shape to copy in this account")
        el = copy.deepcopy(template.el)
        dispute_id = ids.dispute_id(f"dispute:{sale_id}:{t}")
        currency = sale.el.findtext("currency-iso-code")
        amount = sale.el.findtext("amount")
        for path, value in (
            ("id", dispute_id),
            ("global-id", ids.global_id("dispute", dispute_id)),
            ("amount", amount),
            ("amount-disputed", amount),
            ("amount-won", money(0, currency)),
            ("currency-iso-code", currency),
            ("created-at", at(t)),
            ("updated-at", at(t)),
            ("date-opened", day(t)),
            ("date-won", None),
            ("received-date", day(t)),
            ("reply-by-date", day(t + 7 * DAY)),
            ("status", "open"),
            ("transaction/id", sale_id),
            ("transaction/amount", amount),
            ("transaction/created-at", sale.el.findtext("created-at")),
        ):
            put(el, path, value)
        for p in ("date-opened", "received-date", "reply-by-date"):
            el.find(p).set("type", "date")
        history = el.find("status-history")
        for c in list(history):
            history.remove(c)
        _dispute_event(history, t, "open")
        self._add("disputes", el, t, index_dispute)
        sale.el.find("disputes").append(copy.deepcopy(el))
        self._touch(sale, "transactions", t)
        return dispute_id

    def close_dispute(self, dispute_id: str, status: str, at_time: int | None = None) -> None:
        t = at_time or self.now()
        rec = self.get("disputes", dispute_id)
        put(rec.el, "status", status)
        _dispute_event(rec.el.find("status-history"), t, status)
        self._touch(rec, "disputes", t)

    def cancel_subscription(self, sub_id: str, at_time: int | None = None) -> None:
        t = at_time or self.now()
        rec = self.get("subscriptions", sub_id)
        el = rec.el
        put(el, "status", "Canceled")
        put(el, "next-billing-date", None)
        put(el, "updated-at", at(t))
        last = el.find("status-history")[-1]
        event = copy.deepcopy(last)
        put(event, "timestamp", at(t))
        put(event, "status", "Canceled")
        put(event, "subscription-source", "api")
        el.find("status-history").append(event)
        _index_subscription(rec)
        self.changes += 1


def _event(el, t: int, status: str, amount: str) -> None:
    event = etree.SubElement(el.find("status-history"), "status-event")
    child(event, "timestamp", at(t), "datetime")
    child(event, "status", status)
    child(event, "amount", amount)
    child(event, "user", "ledgerdesk")
    child(event, "transaction-source", "api")


def _dispute_event(history, t: int, status: str) -> None:
    event = etree.SubElement(history, "status-history")
    child(event, "disbursement-date", day(t), "date")
    child(event, "effective-date", day(t), "date")
    child(event, "status", status)
    child(event, "timestamp", at(t), "datetime")


def _index_subscription(rec: Record) -> Record:
    return index_simple(rec, ("status", "plan_id", "merchant_account_id"))


def _index_customer(rec: Record) -> Record:
    return index_simple(rec, ("email",))
