"""PayPal's REST objects other than Transaction Search's: Payments v2 captures, refunds and
authorizations, billing plans and subscriptions, disputes, Invoicing v2 invoices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.render import (
    DISPUTE_REASONS,
    DISPUTE_STATUS,
    INVOICE_STATUS,
    REFUND_STATUS,
    authorization_id,
    authorization_state,
    dispute_channel,
    iso,
    link,
    name_of,
)

BASE = "https://api-m.paypal.com"
DAY = 86_400


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
        "links": [link(BASE, f"/v2/payments/captures/{cid}")],
    }
    if charge.payment_intent.capture_method == "manual":  # the authorization it captured
        obj["links"].append(
            link(BASE, f"/v2/payments/authorizations/{authorization_id(charge)}", "up")
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
            link(BASE, f"/v2/payments/refunds/{rid}"),
            link(BASE, f"/v2/payments/captures/{ids.transaction_id(r.charge.id)}", "up"),
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
        "links": [link(BASE, f"/v2/payments/authorizations/{aid}")],
    }


def plan(p: Any) -> dict[str, Any]:
    pid = ids.plan_id(p.id)
    return {
        "id": pid,
        "product_id": ids.product_id(p.product),
        "name": f"{p.product.title()} ({p.interval}ly, {p.currency})",
        "status": "ACTIVE",
        "description": f"{p.product.title()} plan",
        "usage_type": "LICENSED",
        "billing_cycles": [
            {
                "frequency": {"interval_unit": p.interval.upper(), "interval_count": 1},
                "tenure_type": "REGULAR",
                "sequence": 1,
                "total_cycles": 0,
                "pricing_scheme": {
                    "version": 1,
                    "fixed_price": money(p.unit_amount, p.currency),
                    "create_time": iso(p.created),
                    "update_time": iso(p.created),
                },
            }
        ],
        "payment_preferences": {
            "auto_bill_outstanding": True,
            "setup_fee": money(0, p.currency),
            "setup_fee_failure_action": "CONTINUE",
            "payment_failure_threshold": 3,
        },
        "quantity_supported": True,
        "create_time": iso(p.created),
        "update_time": iso(p.created),
        "links": [link(BASE, f"/v1/billing/plans/{pid}")],
    }


def plan_summary(full: dict[str, Any]) -> dict[str, Any]:
    """What the plans list answers without `Prefer: return=representation`."""
    keep = ("id", "product_id", "name", "status", "description", "usage_type", "create_time")
    return {k: full[k] for k in keep} | {"links": full["links"]}


SUBSCRIPTION_STATUS = {
    "trialing": "ACTIVE",
    "active": "ACTIVE",
    "past_due": "ACTIVE",
    "canceled": "CANCELLED",
    "incomplete": "APPROVAL_PENDING",
}


def subscription(s: Any, status_override: tuple[str, int] | None = None) -> dict[str, Any]:
    sid = ids.subscription_id(s.id)
    phase = s.phases[-1]
    currency = phase.plan.currency
    status = SUBSCRIPTION_STATUS.get(s.status, "ACTIVE")
    changed = s.statuses[-1].start
    if status_override:
        status, changed = status_override
    cycles = []
    if s.trial_end:
        cycles.append(
            {
                "tenure_type": "TRIAL",
                "sequence": 1,
                "cycles_completed": 0 if s.status == "trialing" else 1,
                "cycles_remaining": 1 if s.status == "trialing" else 0,
                "total_cycles": 1,
            }
        )
    cycles.append(
        {
            "tenure_type": "REGULAR",
            "sequence": len(cycles) + 1,
            "cycles_completed": 0,
            "cycles_remaining": 0,
            "total_cycles": 0,
        }
    )
    obj: dict[str, Any] = {
        "id": sid,
        "plan_id": ids.plan_id(phase.plan.id),
        "start_time": iso(s.created),
        "quantity": str(phase.quantity),
        "status": status,
        "status_update_time": iso(changed),
        "subscriber": {
            "name": name_of(s.customer),
            "email_address": s.customer.email,
            "payer_id": ids.payer_id(s.customer.id),
        },
        "billing_info": {
            "outstanding_balance": money(0, currency),
            "cycle_executions": cycles,
            "failed_payments_count": 1 if s.status == "past_due" else 0,
        },
        "create_time": iso(s.created),
        "update_time": iso(max(changed, s.created)),
        "plan_overridden": False,
        "links": [link(BASE, f"/v1/billing/subscriptions/{sid}")],
    }
    if status == "ACTIVE":
        obj["billing_info"]["next_billing_time"] = iso(s.current_period_end)
    if getattr(s.customer, "external_id", None):
        obj["custom_id"] = s.customer.external_id
    if status == "CANCELLED" and s.canceled_at:
        obj["status_change_note"] = s.cancellation_reason or "cancellation_requested"
    return obj


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
        "links": [link(BASE, f"/v1/customer/disputes/{did}")],
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


def invoice(inv: Any) -> dict[str, Any]:
    iid = ids.invoice_id(inv.id)
    cur = inv.currency
    day = datetime.fromtimestamp(inv.created, UTC).strftime("%Y-%m-%d")
    items = []
    for line in inv.lines:
        item: dict[str, Any] = {
            "id": f"ITEM-{ids.transaction_id(line.id)}",
            "name": line.description[:200] or "Item",
            "quantity": str(line.quantity),
            "unit_amount": money(line.amount // max(line.quantity, 1), cur)
            if line.amount % max(line.quantity, 1) == 0
            else money(line.amount, cur),
            "unit_of_measure": "QUANTITY",
        }
        if line.amount % max(line.quantity, 1) != 0:
            item["quantity"] = "1"
        if line.tax is not None:
            item["tax"] = {
                "name": line.tax.tax_rate.display_name,
                "percent": line.tax.tax_rate.percentage,
                "amount": money(line.tax.amount, cur),
            }
        if line.discount_amount:
            item["discount"] = {"amount": money(line.discount_amount, cur)}
        items.append(item)
    status = INVOICE_STATUS.get(inv.status, "SENT")
    metadata = {
        "create_time": iso(inv.created),
        "last_update_time": iso(inv.paid_at or inv.created),
    }
    if status != "DRAFT":
        metadata["first_sent_time"] = iso(inv.created)
    obj: dict[str, Any] = {
        "id": iid,
        "status": status,
        "detail": {
            "invoice_number": inv.number,
            "reference": ids.subscription_id(inv.subscription.id) if inv.subscription else "",
            "invoice_date": day,
            "currency_code": cur,
            "payment_term": {"term_type": "DUE_ON_RECEIPT", "due_date": day},
            "metadata": metadata,
        },
        "invoicer": {"email_address": "billing@ledgerdesk.example"},
        "primary_recipients": [
            {
                "billing_info": {
                    "name": name_of(inv.customer),
                    "email_address": inv.customer.email,
                }
            }
        ],
        "items": items,
        "amount": {
            "currency_code": cur,
            "value": money(inv.total, cur)["value"],
            "breakdown": {
                "item_total": money(inv.subtotal, cur),
                "discount": {"invoice_discount": {"amount": money(-inv.discount_amount, cur)}},
                "tax_total": money(inv.tax_amount, cur),
            },
        },
        "due_amount": money(inv.total - inv.amount_paid if status != "CANCELLED" else 0, cur),
        "links": [link(BASE, f"/v2/invoicing/invoices/{iid}")],
    }
    if not obj["detail"]["reference"]:
        del obj["detail"]["reference"]
    if inv.amount_paid:
        obj["payments"] = {"paid_amount": money(inv.amount_paid, cur)}
    return obj
