"""The entities the sandbox serves: URL word, object name, id prefix and list filters.

Each filter maps a list parameter to the value it matches in an object, as Stripe's list
endpoints accept them (`GET /v1/charges?customer=cus_...`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.stripe.table import FieldKey


def _top(name: str) -> FieldKey:
    def key(obj: dict) -> str | None:
        value = obj.get(name)
        if isinstance(value, dict):  # an expanded reference
            value = value.get("id")
        if isinstance(value, bool):
            return "true" if value else "false"
        return None if value is None else str(value)

    return key


def _invoice_subscription(obj: dict) -> str | None:
    parent = obj.get("parent") or {}
    details = parent.get("subscription_details") or {}
    sub = details.get("subscription") or obj.get("subscription")
    return sub.get("id") if isinstance(sub, dict) else sub


def _is_canceled(obj: dict) -> str:
    return "true" if obj.get("status") == "canceled" else "false"


@dataclass(frozen=True)
class Entity:
    name: str  # the URL word and the store key: "payment_intents"
    object: str  # the object's `object` field: "payment_intent"
    prefix: str  # id prefix: "pi"
    filters: dict[str, FieldKey] = field(default_factory=dict)


ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity("customers", "customer", "cus", {"email": _top("email")}),
        Entity(
            "charges",
            "charge",
            "ch",
            {"customer": _top("customer"), "payment_intent": _top("payment_intent")},
        ),
        Entity("payment_intents", "payment_intent", "pi", {"customer": _top("customer")}),
        Entity(
            "refunds",
            "refund",
            "re",
            {"charge": _top("charge"), "payment_intent": _top("payment_intent")},
        ),
        Entity(
            "disputes",
            "dispute",
            "dp",
            {"charge": _top("charge"), "payment_intent": _top("payment_intent")},
        ),
        Entity(
            "subscriptions",
            "subscription",
            "sub",
            {"customer": _top("customer"), "status": _top("status"), "_canceled": _is_canceled},
        ),
        Entity(
            "invoices",
            "invoice",
            "in",
            {
                "customer": _top("customer"),
                "status": _top("status"),
                "subscription": _invoice_subscription,
            },
        ),
        Entity(
            "balance_transactions",
            "balance_transaction",
            "txn",
            {"type": _top("type"), "source": _top("source")},
        ),
        Entity(
            "tax_rates",
            "tax_rate",
            "txr",
            {"active": _top("active"), "inclusive": _top("inclusive")},
        ),
        Entity("events", "event", "evt", {"type": _top("type")}),
        # Issue 14 (room sbx-business, smallest change so the store takes the new entities;
        # room sbx-server owns this file and may refine the filters).
        Entity(
            "invoice_payments",
            "invoice_payment",
            "inpay",
            {"invoice": _top("invoice")},
        ),
        Entity(
            "credit_notes",
            "credit_note",
            "cn",
            {"customer": _top("customer"), "invoice": _top("invoice")},
        ),
        Entity("tax_ids", "tax_id", "txi", {"customer": _top("customer")}),
    )
}

# Entities with a top-level list endpoint `GET /v1/<name>` (tax ids live under a customer).
LISTED = tuple(name for name in ENTITIES if name != "tax_ids")
