"""The Subscriptions API's objects: billing plans (whole, and the list's summary) and
subscriptions, their status from the neutral one."""

from __future__ import annotations

from typing import Any

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.render import API_BASE, iso, link, name_of


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
        "links": [link(API_BASE, f"/v1/billing/plans/{pid}")],
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
        "links": [link(API_BASE, f"/v1/billing/subscriptions/{sid}")],
    }
    if status == "ACTIVE":
        obj["billing_info"]["next_billing_time"] = iso(s.current_period_end)
    if getattr(s.customer, "external_id", None):
        obj["custom_id"] = s.customer.external_id
    if status == "CANCELLED" and s.canceled_at:
        obj["status_change_note"] = s.cancellation_reason or "cancellation_requested"
    return obj
