"""Payments v2 objects as PayPal answers them by id: captures (a captured charge, its id the
payment's transaction id), refunds, and authorizations (a manual-capture charge: CREATED while
open, CAPTURED, VOIDED when released)."""

from __future__ import annotations

from typing import Any

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.render import (
    API_BASE,
    authorization_id,
    authorization_state,
    iso,
    link,
)

DAY = 86_400
REFUND_STATUS = {
    "succeeded": "COMPLETED",
    "pending": "PENDING",
    "failed": "FAILED",
    "canceled": "CANCELLED",
}


def capture(charge: Any) -> dict[str, Any]:
    cid = ids.transaction_id(charge.id)
    refunded = sum(r.amount for r in charge.refunds if r.status == "succeeded")
    status = {"succeeded": "COMPLETED", "pending": "PENDING", "failed": "DECLINED"}[charge.status]
    if status == "COMPLETED" and refunded:
        status = "REFUNDED" if refunded >= charge.amount else "PARTIALLY_REFUNDED"
    fee = charge.fee if charge.status == "succeeded" else 0
    obj: dict[str, Any] = {
        "id": cid,
        "status": status,
        "amount": money(charge.amount, charge.currency),
        "final_capture": True,
        "seller_protection": {"status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED"]},
        "seller_receivable_breakdown": {
            "gross_amount": money(charge.amount, charge.currency),
            "paypal_fee": money(fee, charge.currency),
            "net_amount": money(charge.amount - fee, charge.currency),
        },
        "create_time": iso(charge.created),
        "update_time": iso(charge.captured_at or charge.created),
        "links": [link(API_BASE, f"/v2/payments/captures/{cid}")],
    }
    if charge.payment_intent.capture_method == "manual":  # the authorization it captured
        obj["links"].append(
            link(API_BASE, f"/v2/payments/authorizations/{authorization_id(charge)}", "up")
        )
    if charge.payment_intent.invoice is not None:
        obj["invoice_id"] = charge.payment_intent.invoice.number
    if getattr(charge.customer, "external_id", None):
        obj["custom_id"] = charge.customer.external_id
    return obj


def refund(r: Any) -> dict[str, Any]:
    rid = ids.transaction_id(r.id)
    updated = r.history[-1][0] if r.history else r.created
    return {
        "id": rid,
        "amount": money(r.amount, r.currency),
        "status": REFUND_STATUS[r.status],
        "seller_payable_breakdown": {
            "gross_amount": money(r.amount, r.currency),
            "paypal_fee": money(0, r.currency),
            "net_amount": money(r.amount, r.currency),
            "total_refunded_amount": money(r.amount, r.currency),
        },
        "create_time": iso(r.created),
        "update_time": iso(updated),
        "links": [
            link(API_BASE, f"/v2/payments/refunds/{rid}"),
            link(API_BASE, f"/v2/payments/captures/{ids.transaction_id(r.charge.id)}", "up"),
        ],
    }


def authorization(charge: Any) -> dict[str, Any]:
    aid = authorization_id(charge)
    state, updated = authorization_state(charge)
    return {
        "id": aid,
        "status": {"S": "CAPTURED", "V": "VOIDED", "P": "CREATED"}[state],
        "amount": money(charge.amount, charge.currency),
        "seller_protection": {"status": "ELIGIBLE"},
        "expiration_time": iso(charge.created + 29 * DAY),
        "create_time": iso(charge.created),
        "update_time": iso(updated),
        "links": [link(API_BASE, f"/v2/payments/authorizations/{aid}")],
    }
