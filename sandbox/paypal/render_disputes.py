"""The Disputes API's dispute: status and outcome from the neutral one, the channel from its
reason (`render.dispute_channel`), the disputed capture."""

from __future__ import annotations

from typing import Any

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.render import API_BASE, dispute_channel, iso, link

DISPUTE_REASONS = {
    "fraudulent": "UNAUTHORISED",
    "product_not_received": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
    "product_unacceptable": "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED",
    "duplicate": "DUPLICATE_TRANSACTION",
    "subscription_canceled": "CANCELED_RECURRING_BILLING",
    "credit_not_processed": "CREDIT_NOT_PROCESSED",
    "general": "OTHER",
}
DISPUTE_STATUS = {  # neutral status -> (PayPal status, outcome code or None)
    "needs_response": ("WAITING_FOR_SELLER_RESPONSE", None),
    "under_review": ("UNDER_REVIEW", None),
    "won": ("RESOLVED", "RESOLVED_SELLER_FAVOUR"),
    "lost": ("RESOLVED", "RESOLVED_BUYER_FAVOUR"),
}


def dispute(d: Any, *, summary: bool = False) -> dict[str, Any]:
    did = ids.dispute_id(d.id)
    status, outcome = DISPUTE_STATUS[d.status]
    updated = d.closed_at or d.created
    obj: dict[str, Any] = {
        "dispute_id": did,
        "create_time": iso(d.created),
        "update_time": iso(updated),
        "reason": DISPUTE_REASONS.get(d.reason, "OTHER"),
        "status": status,
        "dispute_state": "RESOLVED" if outcome else "REQUIRED_ACTION",
        "dispute_amount": money(d.amount, d.currency),
        "dispute_life_cycle_stage": "CHARGEBACK",
        "dispute_channel": dispute_channel(d),
        "links": [link(API_BASE, f"/v1/customer/disputes/{did}")],
    }
    if not outcome:
        obj["seller_response_due_date"] = iso(d.evidence_due_by)
    if summary:
        return obj
    charge = d.charge
    obj["disputed_transactions"] = [
        {
            "seller_transaction_id": ids.transaction_id(charge.id),
            "create_time": iso(charge.created),
            "transaction_status": "COMPLETED",
            "gross_amount": money(charge.amount, charge.currency),
            "buyer": {"name": charge.customer.name},
            "seller": {"merchant_id": "LEDGERDESKMRCH"},
        }
    ]
    if outcome:
        obj["dispute_outcome"] = {"outcome_code": outcome}
        if outcome == "RESOLVED_BUYER_FAVOUR":
            obj["dispute_outcome"]["amount_refunded"] = money(d.amount, d.currency)
    return obj
