"""Write endpoints: each checks as Stripe does, changes the store and records its events.

Every write holds the store's lock from the first read to the last save, so concurrent writes
(two refunds of one charge) see each other and never over-refund.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from sandbox.stripe import objects
from sandbox.stripe.errors import StripeError, invalid_integer, no_such, unknown_parameter
from sandbox.stripe.store import StripeStore

Handler = Callable[[StripeStore, Any, str | None], dict]

REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def dispatch(store: StripeStore, request: Any) -> bytes | None:
    """The answer body for a write request, or None when no write endpoint matches."""
    seg, method = request.segments, request.method
    route: tuple[Handler, str | None] | None = None
    if method == "POST" and seg == ["v1", "refunds"]:
        route = (create_refund, None)
    elif method == "DELETE" and len(seg) == 3 and seg[1] == "subscriptions":
        route = (cancel_subscription, seg[2])
    elif method == "DELETE" and len(seg) == 3 and seg[1] == "customers":
        route = (delete_customer, seg[2])
    elif method == "DELETE" and len(seg) == 3 and seg[1] == "invoices":
        route = (delete_invoice, seg[2])
    elif method == "POST" and len(seg) == 4 and seg[1] == "payment_intents" and seg[3] == "capture":
        route = (capture_payment_intent, seg[2])
    elif method == "POST" and len(seg) == 4 and seg[1] == "invoices" and seg[3] == "send":
        route = (send_invoice, seg[2])
    elif method == "POST" and len(seg) == 4 and seg[1] == "customers" and seg[3] == "tax_ids":
        route = (create_tax_id, seg[2])
    elif method == "POST" and len(seg) == 3 and seg[1] == "customers":
        route = (update_customer, seg[2])
    if route is None:
        return None
    handler, object_id = route
    with store.lock:
        return orjson.dumps(handler(store, request, object_id))


def _load(store: StripeStore, entity: str, object_name: str, object_id: str, param: str) -> dict:
    obj = store.load(entity, object_id)
    if obj is None:
        raise no_such(object_name, object_id, param=param)
    return obj


def _amount(params: dict, name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.isdigit():
        raise invalid_integer(name, str(raw))
    if int(raw) <= 0:
        raise StripeError(400, "Invalid positive integer", param=name)
    return int(raw)


def _emit(store: StripeStore, request: Any, event_type: str, obj: dict, **kw: Any) -> None:
    store.emit(
        event_type,
        obj,
        request_id=request.request_id,
        idempotency_key=request.idempotency_key,
        **kw,
    )


def create_refund(store: StripeStore, request: Any, _: str | None) -> dict:
    params = request.params
    charge_id, intent_id = params.get("charge"), params.get("payment_intent")
    if not charge_id and not intent_id:
        raise StripeError(
            400,
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
        )
    if intent_id:
        intent = _load(store, "payment_intents", "payment_intent", intent_id, "payment_intent")
        charge_id = intent.get("latest_charge")
        if isinstance(charge_id, dict):
            charge_id = charge_id["id"]
        if not charge_id:
            raise StripeError(
                400,
                f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
                param="payment_intent",
            )
    charge = _load(store, "charges", "charge", charge_id, "charge")
    reason = params.get("reason")
    if reason is not None and reason not in REFUND_REASONS:
        raise StripeError(
            400,
            "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
            param="reason",
        )
    # amount_refunded also holds what a partial capture released, so this is what is left.
    remaining = charge["amount"] - charge["amount_refunded"]
    if charge.get("refunded") or remaining <= 0:
        raise StripeError(
            400, f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
        )
    amount = _amount(params, "amount")
    amount = remaining if amount is None else amount
    if amount > remaining:
        currency = charge["currency"]
        raise StripeError(
            400,
            f"Refund amount ({objects.money(amount, currency)}) is greater than unrefunded "
            f"amount on charge ({objects.money(remaining, currency)})",
            param="amount",
        )
    now = store.now()
    refund_id = store.new_id("re")
    txn = objects.balance_transaction(
        store.new_id("txn"), now, -amount, charge["currency"], refund_id, "refund"
    )
    refund = objects.refund(refund_id, now, amount, charge, txn["id"], reason, params)
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
    store.insert("balance_transactions", txn)
    store.insert("refunds", refund)
    store.save("charges", charge)
    _emit(store, request, "refund.created", refund)
    _emit(store, request, "charge.refunded", charge, previous=previous)
    return refund


def cancel_subscription(store: StripeStore, request: Any, sub_id: str | None) -> dict:
    assert sub_id is not None
    sub = _load(store, "subscriptions", "subscription", sub_id, "id")
    if sub["status"] == "canceled":
        raise StripeError(
            400,
            "A canceled subscription can only update its cancellation_details and metadata.",
        )
    return _end_subscription(store, request, sub, request.params.get("cancellation_details"))


def _end_subscription(store: StripeStore, request: Any, sub: dict, details: Any) -> dict:
    details = details if isinstance(details, dict) else {}
    now = store.now()
    sub.update(status="canceled", canceled_at=now, ended_at=now)
    sub["cancellation_details"] = {
        "comment": details.get("comment"),
        "feedback": details.get("feedback"),
        "reason": "cancellation_requested",
    }
    store.save("subscriptions", sub)
    _emit(store, request, "customer.subscription.deleted", sub)
    return sub


def capture_payment_intent(store: StripeStore, request: Any, intent_id: str | None) -> dict:
    assert intent_id is not None
    intent = _load(store, "payment_intents", "payment_intent", intent_id, "id")
    if intent["status"] != "requires_capture":
        raise StripeError(
            400,
            f"This PaymentIntent could not be captured because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            "be captured: requires_capture.",
            code="payment_intent_unexpected_state",
        )
    capturable = intent["amount_capturable"]
    amount = _amount(request.params, "amount_to_capture")
    amount = capturable if amount is None else amount
    if amount > capturable:
        raise StripeError(
            400,
            f"The amount to capture ({amount}) is greater than the amount capturable "
            f"({capturable}).",
            code="amount_too_large",
            param="amount_to_capture",
        )
    charge_id = intent.get("latest_charge")
    charge = _load(store, "charges", "charge", charge_id, "id") if charge_id else None
    now = store.now()
    intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
    if charge is not None:
        txn = objects.balance_transaction(
            store.new_id("txn"), now, amount, charge["currency"], charge["id"], "charge"
        )
        previous = {"amount_captured": charge["amount_captured"], "captured": charge["captured"]}
        charge.update(captured=True, amount_captured=amount, balance_transaction=txn["id"])
        # A partial capture releases the rest, which Stripe reports as refunded.
        charge["amount_refunded"] = charge["amount"] - amount
        store.insert("balance_transactions", txn)
        store.save("charges", charge)
        _emit(store, request, "charge.captured", charge, previous=previous)
    store.save("payment_intents", intent)
    _emit(store, request, "payment_intent.succeeded", intent)
    return intent


def send_invoice(store: StripeStore, request: Any, invoice_id: str | None) -> dict:
    assert invoice_id is not None
    invoice = _load(store, "invoices", "invoice", invoice_id, "id")
    if invoice["status"] != "open":
        raise StripeError(
            400,
            f"You can only send an invoice that is open. This invoice is {invoice['status']}.",
            code="invoice_not_editable" if invoice["status"] != "draft" else None,
        )
    _emit(store, request, "invoice.sent", invoice)
    return invoice


def create_tax_id(store: StripeStore, request: Any, customer_id: str | None) -> dict:
    assert customer_id is not None
    _load(store, "customers", "customer", customer_id, "customer")
    params = request.params
    for name in ("type", "value"):
        if not params.get(name):
            raise StripeError(
                400, f"Missing required param: {name}.", code="parameter_missing", param=name
            )
    tax_type, value = params["type"], params["value"]
    if tax_type not in objects.TAX_ID_COUNTRIES:
        raise StripeError(
            400,
            f"Invalid value for type: {tax_type}",
            code="parameter_invalid_string",
            param="type",
        )
    tax_id = objects.tax_id(store.new_id("txi"), store.now(), customer_id, tax_type, value)
    store.insert("tax_ids", tax_id)
    _emit(store, request, "customer.tax_id.created", tax_id)
    return tax_id


CUSTOMER_FIELDS = ("email", "name", "description", "phone")


def update_customer(store: StripeStore, request: Any, customer_id: str | None) -> dict:
    assert customer_id is not None
    customer = _load(store, "customers", "customer", customer_id, "id")
    params = request.params
    for name in params:
        if name not in (*CUSTOMER_FIELDS, "metadata", "expand"):
            raise unknown_parameter(name)
    previous: dict[str, Any] = {}
    for name in CUSTOMER_FIELDS:
        if name in params:
            value = params[name] or None  # an empty string unsets, as at Stripe
            if customer.get(name) != value:
                previous[name] = customer.get(name)
                customer[name] = value
    if isinstance(params.get("metadata"), dict):
        merged = {**(customer.get("metadata") or {}), **params["metadata"]}
        merged = {k: v for k, v in merged.items() if v != ""}
        if merged != customer.get("metadata"):
            previous["metadata"] = customer.get("metadata")
            customer["metadata"] = merged
    if previous:
        store.save("customers", customer)
        _emit(store, request, "customer.updated", customer, previous=previous)
    return customer


def _tombstone(store: StripeStore, request: Any, entity: str, obj: dict, event_type: str) -> dict:
    """Delete `obj`: lists and retrieve stop showing it; the event carries its last state."""
    store.delete(entity, obj["id"])
    _emit(store, request, event_type, obj)
    return {"id": obj["id"], "object": obj["object"], "deleted": True}


def delete_customer(store: StripeStore, request: Any, customer_id: str | None) -> dict:
    """Stripe's docs: deleting a customer also immediately cancels its active subscriptions."""
    assert customer_id is not None
    customer = _load(store, "customers", "customer", customer_id, "id")
    table = store.tables["subscriptions"]
    for i in list(table.index["customer"].get(customer_id, [])):
        sub = orjson.loads(table.blobs[i])
        if sub["status"] not in ("canceled", "incomplete_expired"):
            _end_subscription(store, request, sub, None)
    return _tombstone(store, request, "customers", customer, "customer.deleted")


def delete_invoice(store: StripeStore, request: Any, invoice_id: str | None) -> dict:
    """Only a draft can be deleted; a finalized invoice must be voided (Stripe's docs)."""
    assert invoice_id is not None
    invoice = _load(store, "invoices", "invoice", invoice_id, "id")
    if invoice["status"] != "draft":
        raise StripeError(
            400,
            f"You can only delete draft invoices. This invoice is {invoice['status']}; "
            "void it instead.",
            code="invoice_not_editable",
        )
    return _tombstone(store, request, "invoices", invoice, "invoice.deleted")
