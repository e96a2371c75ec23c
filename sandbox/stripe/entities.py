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


def _nested(outer: str, name: str) -> FieldKey:
    def key(obj: dict) -> str | None:
        value = (obj.get(outer) or {}).get(name)
        if isinstance(value, dict):
            value = value.get("id")
        return None if value is None else str(value)

    return key


def _is_canceled(obj: dict) -> str:
    return "true" if obj.get("status") == "canceled" else "false"


@dataclass(frozen=True)
class Entity:
    name: str  # the URL word and the store key: "payment_intents"
    object: str  # the object's `object` field: "payment_intent"
    prefix: str  # id prefix: "pi"
    filters: dict[str, FieldKey] = field(default_factory=dict)
    # The list parameters the SDK's `<Object>ListParams` declares (tests check them).
    params: tuple[str, ...] = ()


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
        Entity("tax_ids", "tax_id", "txi", {"customer": _top("customer")}),
        Entity(
            "invoice_payments",
            "invoice_payment",
            "inpay",
            {
                "invoice": _top("invoice"),
                "status": _top("status"),
                "payment[type]": _nested("payment", "type"),
                "payment[payment_intent]": _nested("payment", "payment_intent"),
                "payment[payment_record]": _nested("payment", "payment_record"),
            },
        ),
        Entity(
            "credit_notes",
            "credit_note",
            "cn",
            {"customer": _top("customer"), "invoice": _top("invoice")},
        ),
    )
}

_PAGING = ("ending_before", "expand", "limit", "starting_after")
_LIST_PARAMS = {
    "customers": ("created", "email", "test_clock"),
    "charges": ("created", "customer", "payment_intent", "transfer_group"),
    "payment_intents": ("created", "customer", "customer_account"),
    "refunds": ("charge", "created", "payment_intent"),
    "disputes": ("charge", "created", "payment_intent"),
    "subscriptions": (
        "automatic_tax",
        "collection_method",
        "created",
        "current_period_end",
        "current_period_start",
        "customer",
        "customer_account",
        "plan",
        "price",
        "status",
        "test_clock",
    ),
    "invoices": (
        "collection_method",
        "created",
        "customer",
        "customer_account",
        "due_date",
        "status",
        "subscription",
    ),
    "balance_transactions": ("created", "currency", "payout", "source", "type"),
    "tax_rates": ("active", "created", "inclusive"),
    "events": ("created", "delivery_success", "type", "types"),
    "tax_ids": (),
    "charge_refunds": (),
    "invoice_payments": ("created", "invoice", "payment", "status"),
    "credit_notes": ("created", "customer", "customer_account", "invoice"),
    "invoice_lines": (),
    "credit_note_lines": (),
    "subscription_items": ("subscription",),
}
# Every list endpoint's accepted query parameters (the SDK's ListParams, stripe 16.1.0).
LIST_PARAMS: dict[str, frozenset[str]] = {
    name: frozenset((*_PAGING, *extra)) for name, extra in _LIST_PARAMS.items()
}
RETRIEVE_PARAMS = frozenset({"expand"})
# Nested keys a list parameter accepts (`payment[type]`); `created` and `due_date` are ranges.
NESTED_PARAMS = {
    "payment": frozenset({"type", "payment_intent", "payment_record"}),
    "created": frozenset({"gt", "gte", "lt", "lte"}),
    "due_date": frozenset({"gt", "gte", "lt", "lte"}),
    "current_period_end": frozenset({"gt", "gte", "lt", "lte"}),
    "current_period_start": frozenset({"gt", "gte", "lt", "lte"}),
    "automatic_tax": frozenset({"enabled"}),
}


@dataclass(frozen=True)
class SubListKind:
    """Children a parent embeds as a list (`invoice.lines`) and serves page by page."""

    parent: str  # the parent entity: "invoices"
    field: str  # the embedded list's key: "lines"
    child: str  # the flat list's name in the rendered objects: "invoice_lines"
    parent_key: str  # the child's field naming its parent: "invoice" ("" when none)
    object: str  # the child's `object`: "line_item"


SUBLISTS = (
    SubListKind("invoices", "lines", "invoice_lines", "invoice", "line_item"),
    # A credit note line does not name its credit note: only the embedded list says it.
    SubListKind("credit_notes", "lines", "credit_note_lines", "", "credit_note_line_item"),
    SubListKind(
        "subscriptions", "items", "subscription_items", "subscription", "subscription_item"
    ),
)

# Entities with a top-level list endpoint `GET /v1/<name>` (tax ids live under a customer).
LISTED = tuple(name for name in ENTITIES if name != "tax_ids")
