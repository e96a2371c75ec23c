"""The project's spec contract for the Stripe sandbox: what the renderer produces agrees with
Stripe's published examples (fixtures3.json), its OpenAPI description (spec3.json) and the
installed SDK's own classes (API 2026-10-28.endive)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stripe
from stripe._util import convert_to_stripe_object

from sandbox.business import generate
from sandbox.stripe.render import render_account

SPECS = Path(__file__).resolve().parents[1] / "specs" / "stripe"
SAMPLE = 50
ENTITY_OBJECT = {
    "customers": "customer",
    "tax_ids": "tax_id",
    "tax_rates": "tax_rate",
    "subscriptions": "subscription",
    "invoices": "invoice",
    "payment_intents": "payment_intent",
    "charges": "charge",
    "refunds": "refund",
    "disputes": "dispute",
    "balance_transactions": "balance_transaction",
}
SDK_CLASS = {
    "customer": stripe.Customer,
    "tax_id": stripe.TaxId,
    "tax_rate": stripe.TaxRate,
    "subscription": stripe.Subscription,
    "invoice": stripe.Invoice,
    "payment_intent": stripe.PaymentIntent,
    "charge": stripe.Charge,
    "refund": stripe.Refund,
    "dispute": stripe.Dispute,
    "balance_transaction": stripe.BalanceTransaction,
}
# Top-level differences from the example object, each on purpose (see render_shapes.py).
EXTRA_KEYS: dict[str, set[str]] = {}
ABSENT_KEYS = {"charge": {"refunds"}}
# Keys a renderer may or may not emit: the includable `invoice.payments` (older renderers
# embedded it; the server strips it) and fields the SDK declares for some states only.
OPTIONAL_KEYS = {
    "invoice": {"payments"},
    "refund": {"failure_balance_transaction", "failure_reason", "pending_reason"},
}
# Nested keys Stripe returns that the examples leave out (optional, non-nullable fields).
NESTED_EXTRA = {
    "payment_intent.last_payment_error": {"code", "message", "charge"},
    "invoice.lines": {"total_count"},
    "subscription.items": {"total_count"},
    "line_item.pricing": {"price_details"},
    "invoice.lines.data.pricing": {"price_details"},
    "invoice_payment.payment": {"payment_intent"},
    "invoice.payments.data.payment": {"payment_intent"},
    "charge.payment_method_details.card": {"capture_before"},  # uncaptured authorizations
}
# Fields the examples carry but the SDK of this version no longer declares.
NOT_IN_SDK = {"invoice": {"subscription"}}


@pytest.fixture(scope="module")
def fixtures() -> dict:
    return json.loads((SPECS / "fixtures3.json").read_text())["resources"]


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads((SPECS / "spec3.json").read_text())


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return render_account(generate(seed=3, scale=0.08))


def sample(objects: list[dict]) -> list[dict]:
    """Evenly spread over the history, plus every object in an unusual state."""
    step = max(1, len(objects) // SAMPLE)
    picked = objects[::step]
    unusual = [o for o in objects if _unusual(o)][:SAMPLE]
    seen = {o["id"] for o in picked}
    return picked + [o for o in unusual if o["id"] not in seen]


def _unusual(obj: dict) -> bool:
    return bool(
        obj.get("status") in ("failed", "past_due", "uncollectible", "open", "lost", "won")
        or obj.get("amount_refunded")
        or obj.get("disputed")
        or obj.get("discounts")
    )


def key_problems(obj, example, path: str, errors: list[str]) -> None:
    """Same key set as the example, recursively where both sides hold an object (metadata is
    the merchant's own map, free of any key set)."""
    if path.endswith(".metadata"):
        return
    if path.endswith(".payment_method_details") and obj.get("type") != example.get("type"):
        return  # another payment method (a SEPA debit): the card example says nothing of it
    if isinstance(obj, dict) and isinstance(example, dict):
        extra = NESTED_EXTRA.get(path, set())
        if set(obj) - set(example) - extra or set(example) - set(obj):
            missing, unknown = set(example) - set(obj), set(obj) - set(example) - extra
            errors.append(f"{path}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        for key in set(obj) & set(example):
            key_problems(obj[key], example[key], f"{path}.{key}", errors)
    elif isinstance(obj, list) and isinstance(example, list) and example:
        for item in obj:
            key_problems(item, example[0], path, errors)


@pytest.mark.parametrize("entity", sorted(ENTITY_OBJECT))
def test_key_sets_match_stripe_examples(entity, rendered, fixtures):
    name = ENTITY_OBJECT[entity]
    example = fixtures[name]
    objects = sample(rendered[entity])
    assert objects, f"nothing rendered for {entity}"
    expected = (set(example) | EXTRA_KEYS.get(name, set())) - ABSENT_KEYS.get(name, set())
    errors: list[str] = []
    optional = OPTIONAL_KEYS.get(name, set())
    for obj in objects:
        assert set(obj) - optional == expected - optional, (obj["id"], set(obj) ^ expected)
        for key in set(obj) & set(example):
            key_problems(obj[key], example[key], f"{name}.{key}", errors)
    assert not errors, errors[:10]


def test_embedded_objects_match_their_own_examples(rendered, fixtures):
    errors: list[str] = []
    for inv in sample(rendered["invoices"]):
        for line in inv["lines"]["data"]:
            key_problems(line, fixtures["line_item"], "line_item", errors)
        for payment in (inv.get("payments") or {}).get("data", []):
            key_problems(payment, fixtures["invoice_payment"], "invoice_payment", errors)
    for payment in sample(rendered.get("invoice_payments", [])):
        key_problems(payment, fixtures["invoice_payment"], "invoice_payment", errors)
    for sub in sample(rendered["subscriptions"]):
        for item in sub["items"]["data"]:
            key_problems(item, fixtures["subscription_item"], "subscription_item", errors)
            key_problems(item["price"], fixtures["price"], "price", errors)
            key_problems(item["plan"], fixtures["plan"], "plan", errors)
    for dispute in rendered["disputes"]:
        for txn in dispute["balance_transactions"]:
            key_problems(txn, fixtures["balance_transaction"], "balance_transaction", errors)
    assert not errors, errors[:10]


def schema_problems(value, schema: dict, spec: dict, path: str, errors: list[str]) -> None:
    """Validate what both the value and the 2020-08-27 schema describe: nullable, enum, type,
    anyOf (expandable references), properties and array items."""
    while "$ref" in schema:
        schema = _resolve(spec, schema["$ref"])
    if value is None:
        if not schema.get("nullable"):
            errors.append(f"{path}: null but not nullable")
        return
    if "anyOf" in schema:
        if not any(_valid(value, alt, spec, path) for alt in schema["anyOf"]):
            errors.append(f"{path}: {str(value)[:60]!r} matches no anyOf alternative")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
        return
    kind = schema.get("type")
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    if kind in checks and not checks[kind](value):
        errors.append(f"{path}: {type(value).__name__} is not {kind}")
        return
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                schema_problems(value[key], sub, spec, f"{path}.{key}", errors)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            schema_problems(item, schema["items"], spec, f"{path}[{i}]", errors)


def _resolve(spec: dict, ref: str) -> dict:
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def _valid(value, schema: dict, spec: dict, path: str) -> bool:
    found: list[str] = []
    schema_problems(value, schema, spec, path, found)
    return not found


@pytest.mark.parametrize("entity", sorted(ENTITY_OBJECT))
def test_objects_validate_against_openapi_schema(entity, rendered, spec):
    name = ENTITY_OBJECT[entity]
    schema = spec["components"]["schemas"][name]
    errors: list[str] = []
    for obj in sample(rendered[entity]):
        schema_problems(obj, schema, spec, name, errors)
    assert not errors, sorted(set(errors))[:15]


@pytest.mark.parametrize("entity", sorted(ENTITY_OBJECT))
def test_objects_parse_through_the_sdk(entity, rendered):
    name = ENTITY_OBJECT[entity]
    klass = SDK_CLASS[name]
    declared = set()
    for base in klass.__mro__:
        declared |= set(getattr(base, "__annotations__", {}))
    for obj in sample(rendered[entity]):
        parsed = convert_to_stripe_object(json.loads(json.dumps(obj)), api_mode="V1")
        assert type(parsed) is klass
        # The SDK decodes `*_decimal` strings to Decimal; str() gives back the wire text.
        assert json.loads(json.dumps(parsed.to_dict(), default=str)) == obj
        assert parsed.id == obj["id"] and parsed.created == obj["created"]
        unknown = set(obj) - declared - NOT_IN_SDK.get(name, set())
        assert not unknown, f"{name} keys the SDK does not declare: {sorted(unknown)}"


def test_schema_check_catches_broken_objects(rendered, spec):
    """The validator above is not a rubber stamp: wrong types, enums and nulls are caught."""
    charge = json.loads(json.dumps(rendered["charges"][0]))
    charge.update(amount="100", status="lost", captured=None, currency=None)
    errors: list[str] = []
    schema_problems(charge, spec["components"]["schemas"]["charge"], spec, "charge", errors)
    assert {e.split(":")[0] for e in errors} >= {
        "charge.amount",
        "charge.status",
        "charge.captured",
        "charge.currency",
    }


def test_typed_fields_read_back(rendered):
    inv = next(
        i
        for i in rendered["invoices"]
        if i["total_taxes"] and (i.get("parent") or {}).get("subscription_details")
    )
    parsed = convert_to_stripe_object(inv, api_mode="V1")
    assert parsed.parent.subscription_details.subscription.startswith("sub_")
    assert parsed.total_taxes[0].tax_rate_details.tax_rate.startswith("txr_")
    assert parsed.total_taxes[0].amount == inv["total_taxes"][0]["amount"]
    assert parsed.lines.data[0].parent.subscription_item_details.subscription_item.startswith("si_")
    payments = rendered.get("invoice_payments") or [
        p for i in rendered["invoices"] for p in i["payments"]["data"]
    ]
    payment = convert_to_stripe_object(payments[0], api_mode="V1")
    assert payment.payment.payment_intent.startswith("pi_")
    sub = convert_to_stripe_object(rendered["subscriptions"][0], api_mode="V1")
    item = sub["items"].data[0]
    assert (
        item.current_period_end
        == rendered["subscriptions"][0]["items"]["data"][0]["current_period_end"]
    )
    assert isinstance(item.price.unit_amount, int)
    ch = convert_to_stripe_object(rendered["charges"][0], api_mode="V1")
    card = ch.payment_method_details.card
    assert len(card.last4) == 4 and card.brand in ("visa", "mastercard", "amex", "discover", "jcb")
    assert "number" not in card
