"""Deleted customers and draft invoices: lists hide them, retrieve answers as Stripe does, and
the DELETE endpoints write the tombstone and the event carrying the last state."""

from __future__ import annotations

import pytest

from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from tests.sandbox.stripe_cases import business
from tests.sandbox.stripe_http import call, every


@pytest.fixture(scope="module")
def objects() -> dict:
    out = business()
    invoices = [dict(i) for i in out["invoices"]]
    for inv in invoices[-3:]:  # drafts, as the business may not render any at this scale
        inv["status"] = "draft"
    out["invoices"] = invoices
    return out


@pytest.fixture
def server(objects):
    deleted = {
        "customers": [objects["customers"][0]["id"]],
        "invoices": [objects["invoices"][-1]["id"]],
    }
    with serve(StripeStore({**objects, "deleted": deleted}), port=0) as running:
        yield running


def test_rendered_deletions_hidden(server, objects):
    gone_customer = objects["customers"][0]["id"]
    gone_invoice = objects["invoices"][-1]["id"]
    customers = every(server.url, "/v1/customers")
    assert sorted(c["id"] for c in customers) == sorted(c["id"] for c in objects["customers"][1:])
    invoices = every(server.url, "/v1/invoices")
    assert sorted(i["id"] for i in invoices) == sorted(i["id"] for i in objects["invoices"][:-1])
    status, body = call(server.url, f"/v1/customers/{gone_customer}")
    assert (status, body) == (200, {"id": gone_customer, "object": "customer", "deleted": True})
    status, body = call(server.url, f"/v1/invoices/{gone_invoice}")
    assert status == 404 and body["error"]["code"] == "resource_missing"
    assert body["error"]["message"] == f"No such invoice: '{gone_invoice}'"
    # The deleted customer's charges are still listed (they happened).
    charges = every(server.url, f"/v1/charges?customer={gone_customer}")
    assert sorted(c["id"] for c in charges) == sorted(
        c["id"] for c in objects["charges"] if c["customer"] == gone_customer
    )


def test_delete_customer_writes_tombstone_and_event(server, objects):
    victim = objects["customers"][1]
    status, before = call(server.url, f"/v1/customers/{victim['id']}")
    assert status == 200
    status, body = call(server.url, f"/v1/customers/{victim['id']}", method="DELETE")
    assert (status, body) == (200, {"id": victim["id"], "object": "customer", "deleted": True})
    listed = {c["id"] for c in every(server.url, "/v1/customers")}
    assert victim["id"] not in listed and len(listed) == len(objects["customers"]) - 2
    assert call(server.url, f"/v1/customers/{victim['id']}")[1]["deleted"] is True
    events = every(server.url, "/v1/events?type=customer.deleted")
    assert [e["data"]["object"] for e in events if e["data"]["object"]["id"] == victim["id"]] == [
        before
    ]
    status, body = call(server.url, f"/v1/customers/{victim['id']}", method="DELETE")
    assert status == 404 and body["error"]["code"] == "resource_missing"


def test_delete_customer_cancels_its_subscriptions(server, objects):
    owner = next(
        c["id"]
        for c in objects["customers"][1:]
        if any(
            s["customer"] == c["id"] and s["status"] == "active" for s in objects["subscriptions"]
        )
    )
    live = sorted(
        s["id"]
        for s in objects["subscriptions"]
        if s["customer"] == owner and s["status"] not in ("canceled", "incomplete_expired")
    )
    assert call(server.url, f"/v1/customers/{owner}", method="DELETE")[0] == 200
    subs = every(server.url, f"/v1/subscriptions?customer={owner}&status=all")
    assert sorted(s["id"] for s in subs if s["status"] == "canceled" and s["ended_at"]) == sorted(
        s["id"] for s in objects["subscriptions"] if s["customer"] == owner
    )
    rendered = {e["id"] for e in objects["events"]}
    ended = every(server.url, "/v1/events?type=customer.subscription.deleted")
    assert sorted(e["data"]["object"]["id"] for e in ended if e["id"] not in rendered) == live


def test_delete_invoice_only_draft(server, objects):
    paid = next(i for i in objects["invoices"] if i["status"] == "paid")
    status, body = call(server.url, f"/v1/invoices/{paid['id']}", method="DELETE")
    assert status == 400 and body["error"]["type"] == "invalid_request_error"
    assert call(server.url, f"/v1/invoices/{paid['id']}")[0] == 200
    draft = objects["invoices"][-2]
    status, before = call(server.url, f"/v1/invoices/{draft['id']}")
    status, body = call(server.url, f"/v1/invoices/{draft['id']}", method="DELETE")
    assert (status, body) == (200, {"id": draft["id"], "object": "invoice", "deleted": True})
    assert call(server.url, f"/v1/invoices/{draft['id']}")[0] == 404
    assert call(server.url, f"/v1/invoices/{draft['id']}/lines")[0] == 404
    assert draft["id"] not in {i["id"] for i in every(server.url, "/v1/invoices")}
    events = every(server.url, "/v1/events?type=invoice.deleted")
    assert [e["data"]["object"] for e in events if e["data"]["object"]["id"] == draft["id"]] == [
        before
    ]
