"""Includable fields, `expand[]`, unknown parameters and the new list endpoints, over HTTP.

Truths come from the rendered objects handed to the store (the renderer's own `payments` on
each invoice, its refunds by charge, its subscription items), never from the server."""

from __future__ import annotations

import pytest

from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from tests.sandbox.stripe_cases import (
    CREDIT_NOTE_LINES,
    business,
    invoice_payments,
    payments_by_invoice,
    visible,
    with_extras,
)
from tests.sandbox.stripe_http import call, every


@pytest.fixture(scope="module")
def objects(stripe_resources) -> dict:
    return with_extras(stripe_resources, business())


@pytest.fixture(scope="module")
def server(objects):
    with serve(StripeStore(objects)) as running:
        yield running


def test_includable_fields_absent_by_default(server, objects):
    invoices = every(server.url, "/v1/invoices")
    charges = every(server.url, "/v1/charges")
    assert len(invoices) == len(visible(objects, "invoices"))
    assert len(charges) == len(visible(objects, "charges"))
    assert [i for i in invoices if "payments" in i] == []
    assert [c for c in charges if "refunds" in c] == []
    some = visible(objects, "invoices")[0]["id"]
    assert "payments" not in call(server.url, f"/v1/invoices/{some}")[1]


def test_expand_payments_on_list_and_retrieve(server, objects):
    by_invoice = payments_by_invoice(objects)
    shown = {i["id"] for i in visible(objects, "invoices")}
    truth = {k: sorted(p["id"] for p in v) for k, v in by_invoice.items() if k in shown}
    listed = every(server.url, "/v1/invoices?expand[]=data.payments")
    assert {i["id"]: sorted(p["id"] for p in i["payments"]["data"]) for i in listed} == truth
    paid = next(k for k, v in by_invoice.items() if v and k in shown)
    status, one = call(server.url, f"/v1/invoices/{paid}?expand[]=payments")
    # Stripe's list order: newest first, of two at the same second the later written first.
    order = sorted(enumerate(by_invoice[paid]), key=lambda p: (p[1]["created"], p[0]))
    newest_first = [p for _, p in reversed(order)]
    assert status == 200 and one["payments"]["data"] == newest_first[:10]
    assert one["payments"]["url"] == f"/v1/invoice_payments?invoice={paid}"


def test_expand_refunds_and_references(server, objects):
    by_charge: dict[str, list[str]] = {}
    for refund in objects["refunds"]:
        by_charge.setdefault(refund["charge"], []).append(refund["id"])
    assert by_charge, "the rendered business has refunds"
    listed = every(server.url, "/v1/charges?expand[]=data.refunds&expand[]=data.customer")
    got = {c["id"]: sorted(r["id"] for r in c["refunds"]["data"]) for c in listed}
    assert {k: v for k, v in got.items() if v} == {k: sorted(v) for k, v in by_charge.items()}
    customers = {c["id"]: c for c in objects["customers"]}
    assert all(c["customer"] == customers[c["customer"]["id"]] for c in listed if c["customer"])


def test_charge_refunds_endpoint(server, objects):
    charge_id = objects["refunds"][0]["charge"]
    truth = sorted(r["id"] for r in objects["refunds"] if r["charge"] == charge_id)
    assert sorted(r["id"] for r in every(server.url, f"/v1/charges/{charge_id}/refunds")) == truth
    assert call(server.url, "/v1/charges/ch_missing/refunds")[0] == 404


def test_expand_on_a_list_needs_data_prefix(server):
    status, body = call(server.url, "/v1/invoices?expand[]=payments")
    assert status == 400 and body["error"]["type"] == "invalid_request_error"
    assert "data.payments" in body["error"]["message"]
    status, body = call(server.url, "/v1/invoices?expand[]=data.no_such_field")
    assert status == 400 and "cannot be expanded" in body["error"]["message"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/v1/invoices?foo=1", "foo"),
        ("/v1/charges?status=succeeded", "status"),
        ("/v1/customers?customer=cus_x", "customer"),
        ("/v1/invoice_payments?payment[nope]=x", "payment[nope]"),
        ("/v1/events?created[after]=1", "created[after]"),
        ("/v1/subscription_items?subscription=sub_x&customer=cus_x", "customer"),
        ("/v1/invoices/in_x?limit=3", "limit"),
    ],
)
def test_unknown_parameter(server, path, name):
    status, body = call(server.url, path)
    assert status == 400
    error = body["error"]
    assert (error["type"], error["code"], error["param"]) == (
        "invalid_request_error",
        "parameter_unknown",
        name,
    )
    assert error["message"] == f"Received unknown parameter: {name}"


def test_list_params_are_the_sdks():
    """Each endpoint accepts exactly the parameters the SDK's ListParams declares."""
    import importlib

    from stripe._request_options import RequestOptions

    from sandbox.stripe.entities import LIST_PARAMS

    modules = {
        "customers": "customer_list",
        "charges": "charge_list",
        "payment_intents": "payment_intent_list",
        "refunds": "refund_list",
        "disputes": "dispute_list",
        "subscriptions": "subscription_list",
        "invoices": "invoice_list",
        "balance_transactions": "balance_transaction_list",
        "tax_rates": "tax_rate_list",
        "events": "event_list",
        "tax_ids": "customer_list_tax_ids",
        "charge_refunds": "charge_list_refunds",
        "invoice_payments": "invoice_payment_list",
        "credit_notes": "credit_note_list",
        "credit_note_lines": "credit_note_list_lines",
        "invoice_lines": "invoice_list_lines",
        "subscription_items": "subscription_item_list",
    }
    base = set(RequestOptions.__annotations__)
    for endpoint, module in modules.items():
        mod = importlib.import_module(f"stripe.params._{module}_params")
        cls = next(v for n, v in vars(mod).items() if n.endswith("Params") and isinstance(v, type))
        assert LIST_PARAMS[endpoint] == set(cls.__annotations__) - base, endpoint
    assert set(LIST_PARAMS) == set(modules)


def test_invoice_payments_list_and_filters(server, objects):
    truth = invoice_payments(objects)
    assert truth
    served = every(server.url, "/v1/invoice_payments")
    assert sorted(p["id"] for p in served) == sorted(p["id"] for p in truth)
    assert {p["id"]: p for p in served} == {p["id"]: p for p in truth}
    # Stripe's list order: newest first, of two at the same second the later written first.
    newest = [p for _, p in sorted(enumerate(truth), key=lambda x: (x[1]["created"], x[0]))][::-1]
    one = truth[-1]
    by_invoice = every(server.url, f"/v1/invoice_payments?invoice={one['invoice']}")
    assert [p["id"] for p in by_invoice] == [
        p["id"] for p in newest if p["invoice"] == one["invoice"]
    ]
    intent = one["payment"]["payment_intent"]
    query = f"payment[type]=payment_intent&payment[payment_intent]={intent}"
    by_intent = every(server.url, f"/v1/invoice_payments?{query}")
    assert [p["id"] for p in by_intent] == [
        p["id"] for p in newest if p["payment"].get("payment_intent") == intent
    ]
    for status in ("paid", "open", "canceled"):
        got = every(server.url, f"/v1/invoice_payments?status={status}")
        assert sorted(p["id"] for p in got) == sorted(
            p["id"] for p in truth if p["status"] == status
        ), status


def test_credit_notes_and_their_lines(server, objects):
    assert any(len(n["lines"]["data"]) == CREDIT_NOTE_LINES for n in objects["credit_notes"])
    notes = every(server.url, "/v1/credit_notes")
    assert sorted(n["id"] for n in notes) == sorted(n["id"] for n in objects["credit_notes"])
    for note in objects["credit_notes"]:
        served = next(n for n in notes if n["id"] == note["id"])
        truth = [line["id"] for line in note["lines"]["data"]]
        assert [x["id"] for x in served["lines"]["data"]] == truth[:10]
        assert served["lines"]["has_more"] is (len(truth) > 10)
        paged = every(server.url, f"/v1/credit_notes/{note['id']}/lines")
        assert [x["id"] for x in paged] == truth
    first = objects["credit_notes"][0]
    got = every(server.url, f"/v1/credit_notes?invoice={first['invoice']}")
    assert [n["id"] for n in got] == [first["id"]]
    status, body = call(server.url, "/v1/credit_notes/cn_missing/lines")
    assert status == 404 and body["error"]["code"] == "resource_missing"


def test_subscription_items(server, objects):
    status, body = call(server.url, "/v1/subscription_items")
    assert status == 400
    assert (body["error"]["code"], body["error"]["param"]) == ("parameter_missing", "subscription")
    assert body["error"]["message"] == "Missing required param: subscription."
    for sub in objects["subscriptions"][:10]:
        truth = [item["id"] for item in sub["items"]["data"]]
        got = every(server.url, f"/v1/subscription_items?subscription={sub['id']}")
        assert [item["id"] for item in got] == truth
    item = objects["subscriptions"][0]["items"]["data"][0]
    status, one = call(server.url, f"/v1/subscription_items/{item['id']}")
    assert status == 200 and one == item


def test_embedded_lists_show_ten(stripe_resources):
    objects = business()
    inv = dict(visible(objects, "invoices")[0])
    line = inv["lines"]["data"][0]
    many = [{**line, "id": f"il_many{k:02d}"} for k in range(13)]
    inv["lines"] = {**inv["lines"], "data": many, "has_more": False}
    others = [i for i in objects["invoices"] if i["id"] != inv["id"]]
    store = StripeStore({**objects, "invoices": [inv, *others]})
    with serve(store) as running:
        status, served = call(running.url, f"/v1/invoices/{inv['id']}")
        assert status == 200
        assert [x["id"] for x in served["lines"]["data"]] == [x["id"] for x in many[:10]]
        assert served["lines"]["has_more"] is True
        paged = every(running.url, f"/v1/invoices/{inv['id']}/lines")
        assert [x["id"] for x in paged] == [x["id"] for x in many]
