"""Changes to the Braintree store as the real gateway makes them (refund, settle, void, open and
close a dispute, cancel a subscription), so tests can show later changes reaching the
warehouse. Each change re-indexes the records it touches (their status dates move).
"""

from __future__ import annotations

import copy

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree.records import (
    ACH,
    index_dispute,
    index_subscription,
    index_transaction,
)
from sandbox.braintree.shape import at, child, day, money, put

DAY = 86_400
ACH_RETURNS = {"R01": "Insufficient Funds", "R02": "Account Closed", "R03": "No Account"}


class StoreChanges:
    """Mixed into BraintreeStore: needs its `records`, `changes`, `get`, `_add`, `now`."""

    def _touch(self, rec, kind: str, t: int) -> None:
        put(rec.el, "updated-at", at(t))
        (index_dispute if kind == "disputes" else index_transaction)(rec)
        self.changes += 1

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

    def expire_authorization(self, txn_id: str, at_time: int | None = None) -> None:
        """An authorization never captured expires (authorization_expired_at)."""
        t = at_time or self.now()
        rec = self.get("transactions", txn_id)
        if rec.el.findtext("status") != "authorized":
            raise ValueError(f"{txn_id} is {rec.el.findtext('status')}, not authorized")
        put(rec.el, "status", "authorization_expired")
        _event(rec.el, t, "authorization_expired", rec.el.findtext("amount"), user=None)
        self._touch(rec, "transactions", t)

    def return_ach(self, txn_id: str, code: str = "R01", at_time: int | None = None) -> None:
        """A bank debit returned by the ACH network with a NACHA code: settlement declined,
        the code as the settlement response (ach_return_responses_created_at)."""
        t = at_time or self.now()
        rec = self.get("transactions", txn_id)
        if rec.el.findtext("payment-instrument-type") != ACH:
            raise ValueError(f"{txn_id} is not a bank debit")
        put(rec.el, "status", "settlement_declined")
        put(rec.el, "processor-settlement-response-code", code)
        put(rec.el, "processor-settlement-response-text", ACH_RETURNS.get(code, "Returned"))
        _event(rec.el, t, "settlement_declined", rec.el.findtext("amount"))
        self._touch(rec, "transactions", t)

    def open_dispute(
        self, sale_id: str, at_time: int | None = None, *, received_at: int | None = None
    ) -> str:
        """A chargeback on a sale: a new dispute, also embedded in the sale (dispute_date).
        `received_at`: when the processor received it, if before the dispute was created."""
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
            ("received-date", day(received_at or t)),
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
        _dispute_event(history, t, "open", dated=received_at)  # in effect from its receipt
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
        index_subscription(rec)
        self.changes += 1


def _event(el, t: int, status: str, amount: str, user: str | None = "ledgerdesk") -> None:
    """A status event; `user` None for what the gateway does by itself (an expiry)."""
    event = etree.SubElement(el.find("status-history"), "status-event")
    child(event, "timestamp", at(t), "datetime")
    child(event, "status", status)
    child(event, "amount", amount)
    child(event, "user", user)
    child(event, "transaction-source", "api")


def _dispute_event(history, t: int, status: str, *, dated: int | None = None) -> None:
    event = etree.SubElement(history, "status-history")
    child(event, "disbursement-date", day(dated or t), "date")
    child(event, "effective-date", day(dated or t), "date")
    child(event, "status", status)
    child(event, "timestamp", at(t), "datetime")
