"""What the PayPal sandbox serves, rendered once from the share, and the changes a test makes
afterwards (a refund, a dispute, a cancellation), each as PayPal would record it.

Transaction Search lags: a transaction is listed only from `visible_at` on, some seconds up to
`max_lag_seconds` (PayPal: up to three hours) after it happened, by the store's clock.
"""

from __future__ import annotations

import bisect
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.paypal import (
    ids,
    render,
    render_billing,
    render_disputes,
    render_invoices,
    render_payments,
)
from sandbox.paypal.money import ISO_EXPONENT, PAYPAL_CURRENCIES, money

THREE_HOURS = 3 * 3600


@dataclass
class SearchRow:
    at: int  # transaction_initiation_date
    visible_at: int
    tid: str
    detail: dict[str, Any]
    balance_affecting: bool = True  # False: listed only with balance_affecting_records_only=N


def parse_time(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


@dataclass
class PayPalStore:
    clock: Callable[[], float] = time.time
    max_lag_seconds: int = THREE_HOURS
    resultset_cap: int = 10_000  # a search window holding more answers RESULTSET_TOO_LARGE
    token_seconds: int = 32_400  # expires_in of an access token (PayPal: 9 hours)
    clients: dict[str, str] = field(default_factory=lambda: {"client-id": "client-secret"})
    rows: list[SearchRow] = field(default_factory=list)  # sorted by (at, tid)
    captures: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    authorizations: dict[str, dict] = field(default_factory=dict)
    plans: list[dict] = field(default_factory=list)
    subscriptions: dict[str, dict] = field(default_factory=dict)
    subscription_txns: dict[str, list[dict]] = field(default_factory=dict)
    disputes: dict[str, dict] = field(default_factory=dict)
    invoices: list[dict] = field(default_factory=list)
    customers_by_payer: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_business(cls, share: Any, **settings: Any) -> PayPalStore:
        store = cls(**settings)
        for charge in share.charges:
            store.customers_by_payer[ids.payer_id(charge.customer.id)] = charge.customer
            if charge.payment_intent.capture_method == "manual":
                auth = render_payments.authorization(charge)
                store.authorizations[auth["id"]] = auth
                for row in render.authorization_transactions(charge):
                    store.add_row(row, balance_affecting=False)
            if not charge.captured:
                continue
            store.add_row(render.payment_transaction(charge))
            cap = render_payments.capture(charge)
            store.captures[cap["id"]] = cap
            sub = charge.payment_intent.invoice and charge.payment_intent.invoice.subscription
            if sub is not None and charge.status == "succeeded":
                store.subscription_txns.setdefault(ids.subscription_id(sub.id), []).append(
                    _subscription_txn(charge)
                )
        for r in share.refunds:
            if r.is_release or not r.charge.captured:
                continue
            store.add_row(render.refund_transaction(r))
            obj = render_payments.refund(r)
            store.refunds[obj["id"]] = obj
        for d in share.disputes:
            if d.status == "lost":
                store.add_row(render.lost_dispute_transaction(d))
            obj = render_disputes.dispute(d)
            store.disputes[obj["dispute_id"]] = obj
        # PayPal has no plan in a currency it does not take (KWD, ISK).
        store.plans = [
            render_billing.plan(p) for p in share.plans if p.currency in PAYPAL_CURRENCIES
        ]
        for s in share.subscriptions:
            obj = render_billing.subscription(s)
            store.subscriptions[obj["id"]] = obj
        store.invoices = [
            render_invoices.invoice(i) for i in share.invoices if i.deleted_at is None
        ]
        store.rows.sort(key=lambda r: (r.at, r.tid))
        return store

    def now(self) -> int:
        return int(self.clock())

    def lag(self, tid: str) -> int:
        if self.max_lag_seconds <= 0:
            return 0
        digest = hashlib.sha256(tid.encode()).digest()
        return int.from_bytes(digest[:4], "big") % (self.max_lag_seconds + 1)

    def add_row(
        self, detail: dict[str, Any], *, keep_sorted: bool = False, balance_affecting: bool = True
    ) -> None:
        info = detail["transaction_info"]
        at = parse_time(info["transaction_initiation_date"].replace("+0000", "+00:00"))
        tid = info["transaction_id"]
        row = SearchRow(at, at + self.lag(tid), tid, detail, balance_affecting)
        if keep_sorted:
            bisect.insort(self.rows, row, key=lambda r: (r.at, r.tid))
        else:
            self.rows.append(row)

    def search(
        self,
        start: int,
        end: int,
        *,
        balance_affecting_only: bool = True,
        event_code: str | None = None,
    ) -> list[SearchRow]:
        """Rows with start <= at <= end already visible now, in date order: only the
        balance-affecting ones unless asked for all (PayPal's default `Y`), of one event code
        if asked (`transaction_type`)."""
        now = self.now()
        lo = bisect.bisect_left(self.rows, start, key=lambda r: r.at)
        hi = bisect.bisect_right(self.rows, end, key=lambda r: r.at)
        return [
            r for r in self.rows[lo:hi]
            if r.visible_at <= now
            and (r.balance_affecting or not balance_affecting_only)
            and (event_code is None or r.detail["transaction_info"]["transaction_event_code"]
                 == event_code)
        ]  # fmt: skip

    # Changes made on the gateway after a run, as PayPal records each.
    def refund_capture(self, capture_id: str, amount: dict[str, str], at: int) -> str:
        """A refund of a capture: a T1107 transaction and a Payments v2 refund."""
        payment = next(r for r in self.rows if r.tid == capture_id and r.balance_affecting).detail
        customer = self.customers_by_payer[payment["transaction_info"]["paypal_account_id"]]
        currency = amount["currency_code"]
        minor = int(Decimal(amount["value"]).scaleb(ISO_EXPONENT.get(currency, 2)))
        rid = ids.transaction_id(f"refund:{capture_id}:{at}")
        self.add_row(
            render.transaction(
                tid=rid, code="T1107", at=at, updated=at, amount=-minor, currency=currency,
                status="S", customer=customer, reference=capture_id,
            ),
            keep_sorted=True,
        )  # fmt: skip
        self.refunds[rid] = {
            "id": rid,
            "amount": money(minor, currency),
            "status": "COMPLETED",
            "create_time": render.iso(at),
            "update_time": render.iso(at),
            "links": [],
        }
        cap = self.captures[capture_id]
        cap["status"] = "PARTIALLY_REFUNDED" if amount != cap["amount"] else "REFUNDED"
        if cap["status"] == "REFUNDED":  # reversed and funds refunded: the payment's row is V
            payment["transaction_info"]["transaction_status"] = "V"
            payment["transaction_info"]["transaction_updated_date"] = render.search_date(at)
        cap["update_time"] = render.iso(at)
        return rid

    def cancel_subscription(self, subscription_id: str, at: int) -> None:
        sub = self.subscriptions[subscription_id]
        sub["status"] = "CANCELLED"
        sub["status_update_time"] = sub["update_time"] = render.iso(at)
        sub["billing_info"].pop("next_billing_time", None)

    def open_dispute(self, capture_id: str, at: int) -> str:
        cap = self.captures[capture_id]
        did = ids.dispute_id(f"new:{capture_id}:{at}")
        self.disputes[did] = {
            "dispute_id": did,
            "create_time": render.iso(at),
            "update_time": render.iso(at),
            "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
            "status": "WAITING_FOR_SELLER_RESPONSE",
            "dispute_state": "REQUIRED_ACTION",
            "dispute_amount": cap["amount"],
            "dispute_life_cycle_stage": "CHARGEBACK",
            "dispute_channel": "EXTERNAL",
            "seller_response_due_date": render.iso(at + 10 * 86_400),
            "links": [],
            "disputed_transactions": [
                {
                    "seller_transaction_id": capture_id,
                    "create_time": cap["create_time"],
                    "transaction_status": "COMPLETED",
                    "gross_amount": cap["amount"],
                }
            ],
        }
        return did


def _subscription_txn(charge: Any) -> dict[str, Any]:
    fee = charge.fee
    cur = charge.currency
    return {
        "status": "COMPLETED",
        "id": ids.transaction_id(charge.id),
        "amount_with_breakdown": {
            "gross_amount": money(charge.amount, cur),
            "fee_amount": money(fee, cur),
            "net_amount": money(charge.amount - fee, cur),
        },
        "payer_name": render.name_of(charge.customer),
        "payer_email": charge.customer.email,
        "time": render.iso(charge.created),
    }
