"""What the server sends, against API 2026-10-28.endive as the installed SDK declares it.

For every object type served, over HTTP: each key the SDK's resource class declares and
Stripe's example (fixtures3.json) carries is present (nullable ones as null); no key outside
the class and the example; each value has its annotated type (int, str, bool, Optional,
List, Literal, ExpandableField, ListObject, nested classes by their own declarations). The
includable fields are the exception: absent unless `expand[]` asks, and then typed too.
"""

from __future__ import annotations

import json

import pytest

from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from tests.sandbox.sdk_shapes import merged, object_problems, problems, resource
from tests.sandbox.stripe_cases import business, with_extras
from tests.sandbox.stripe_http import call, every

# path -> (SDK class, fixture name)
ENDPOINTS = {
    "/v1/customers": ("Customer", "customer"),
    "/v1/charges": ("Charge", "charge"),
    "/v1/payment_intents": ("PaymentIntent", "payment_intent"),
    "/v1/refunds": ("Refund", "refund"),
    "/v1/disputes": ("Dispute", "dispute"),
    "/v1/subscriptions?status=all": ("Subscription", "subscription"),
    "/v1/invoices": ("Invoice", "invoice"),
    "/v1/balance_transactions": ("BalanceTransaction", "balance_transaction"),
    "/v1/tax_rates": ("TaxRate", "tax_rate"),
    "/v1/events": ("Event", "event"),
    "/v1/invoice_payments": ("InvoicePayment", "invoice_payment"),
    "/v1/credit_notes": ("CreditNote", "credit_note"),
}
# Includable fields: Stripe leaves them out unless expanded (the examples show them).
EXPAND_ONLY = {"Charge": {"refunds"}, "Invoice": {"payments"}}


@pytest.fixture(scope="module")
def server(stripe_resources):
    with serve(StripeStore(with_extras(stripe_resources, business()))) as running:
        yield running


def sample(objects: list[dict], n: int = 40) -> list[dict]:
    step = max(1, len(objects) // n)
    return objects[::step]


def check(objects: list[dict], cls: str, example: dict) -> list[str]:
    shape = resource(cls)
    assert shape is not None, cls
    for key in EXPAND_ONLY.get(cls, ()):
        example = {k: v for k, v in example.items() if k != key}
    out: list[str] = []
    for obj in sample(objects):
        out += object_problems(obj, shape, f"{cls}({obj.get('id')})", example)
    return out


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_served_objects_match_the_sdk(server, stripe_resources, path):
    cls, fixture = ENDPOINTS[path]
    served = every(server.url, path)
    assert served, f"nothing served at {path}: the test would prove nothing"
    assert check(served, cls, stripe_resources[fixture]) == []
    for field in EXPAND_ONLY.get(cls, ()):
        assert [o["id"] for o in served if field in o] == []


@pytest.mark.parametrize(
    ("path", "cls", "fixture"),
    [
        ("/v1/invoices/{invoice}/lines", "InvoiceLineItem", "line_item"),
        ("/v1/credit_notes/{credit_note}/lines", "CreditNoteLineItem", "credit_note_line_item"),
        (
            "/v1/subscription_items?subscription={subscription}",
            "SubscriptionItem",
            "subscription_item",
        ),
        ("/v1/customers/{customer}/tax_ids", "TaxId", "tax_id"),
    ],
)
def test_children_match_the_sdk(server, stripe_resources, path, cls, fixture):
    parents = {
        "invoice": every(server.url, "/v1/invoices")[:15],
        "credit_note": every(server.url, "/v1/credit_notes"),
        "subscription": every(server.url, "/v1/subscriptions")[:15],
        "customer": every(server.url, "/v1/customers"),
    }
    name = path.split("{", 1)[1].split("}", 1)[0]
    served = [
        x for p in parents[name] for x in every(server.url, path.replace(f"{{{name}}}", p["id"]))
    ]
    assert served, path
    # The child's own example and the ones its parent's example embeds (a credit note's
    # custom line has no `invoice_line_item`): a key all have is due, any is allowed.
    parent_fixture = {"invoice": "invoice", "credit_note": "credit_note"}.get(name)
    embedded = []
    if parent_fixture is not None:
        embedded = stripe_resources[parent_fixture]["lines"]["data"]
    elif name == "subscription":
        embedded = stripe_resources["subscription"]["items"]["data"]
    assert check(served, cls, merged([stripe_resources[fixture], *embedded])) == []


def test_expanded_fields_match_the_sdk(server):
    invoice = resource("Invoice")
    charge = resource("Charge")
    invoices = every(server.url, "/v1/invoices?expand[]=data.payments")
    charges = every(server.url, "/v1/charges?expand[]=data.refunds")
    found = []
    for inv in sample(invoices):
        found += problems(inv["payments"], invoice.fields["payments"], invoice, inv["id"], None)
    for ch in sample(charges):
        found += problems(ch["refunds"], charge.fields["refunds"], charge, ch["id"], None)
    assert found == []
    assert any(inv["payments"]["data"] for inv in invoices)
    assert any(ch["refunds"]["data"] for ch in charges)


def test_the_checker_catches_wrong_shapes(server, stripe_resources):
    """The checker itself: a wrong type, an undeclared key, a missing key each fail."""
    _, charge = call(server.url, "/v1/charges?limit=1")
    one = charge["data"][0]
    example = stripe_resources["charge"]
    assert check([one], "Charge", example) == []
    broken = [
        {**one, "amount": "12.00"},
        {**one, "invoice": None},
        {k: v for k, v in one.items() if k != "amount_captured"},
        {**one, "outcome": {**one["outcome"], "type": 3}},
        {**one, "refunded": "false"},
        {**one, "created": True},
    ]
    for obj in broken:
        assert check([obj], "Charge", example) != [], json.dumps(obj)[:200]
