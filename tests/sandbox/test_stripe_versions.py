"""Older API versions: `serve(store, api_version="2020-08-27")` answers every object in that
version's shape, checked against the 2020-08-27 description (spec3.json's required keys),
and events older than the pinned version carry `data.object` in their own version's shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.stripe.server import serve
from sandbox.stripe.store import API_VERSION, StripeStore
from tests.sandbox.stripe_cases import business, invoice_payments, visible, with_extras
from tests.sandbox.stripe_http import call, every

SPEC = Path(__file__).resolve().parents[1] / "specs" / "stripe" / "spec3.json"
OLD = "2020-08-27"
LISTS = {
    "customers": "customer",
    "charges": "charge",
    "payment_intents": "payment_intent",
    "refunds": "refund",
    "disputes": "dispute",
    "subscriptions": "subscription",
    "invoices": "invoice",
    "balance_transactions": "balance_transaction",
    "tax_rates": "tax_rate",
    "credit_notes": "credit_note",
}


@pytest.fixture(scope="module")
def schemas() -> dict:
    return json.loads(SPEC.read_text())["components"]["schemas"]


@pytest.fixture(scope="module")
def objects(stripe_resources) -> dict:
    return with_extras(stripe_resources, business())


@pytest.fixture(scope="module")
def old(objects):
    with serve(StripeStore(objects), api_version=OLD) as running:
        yield running


@pytest.fixture(scope="module")
def pinned(objects):
    with serve(StripeStore(objects)) as running:
        yield running


def missing(obj: dict, schema: dict) -> set[str]:
    return set(schema["required"]) - set(obj)


@pytest.mark.parametrize("entity", sorted(LISTS))
def test_every_object_has_the_2020_required_keys(old, objects, schemas, entity):
    query = "?status=all" if entity == "subscriptions" else ""  # else canceled ones hide
    served = every(old.url, f"/v1/{entity}{query}")
    assert len(served) == len(visible(objects, entity))
    problems = {o["id"]: missing(o, schemas[LISTS[entity]]) for o in served}
    assert {k: v for k, v in problems.items() if v} == {}
    for o in served:
        if entity == "invoices":
            for line in o["lines"]["data"]:
                assert missing(line, schemas["line_item"]) == set(), line["id"]
        if entity == "subscriptions":
            for item in o["items"]["data"]:
                assert missing(item, schemas["subscription_item"]) == set(), item["id"]
        if entity == "credit_notes":
            for line in o["lines"]["data"]:
                assert missing(line, schemas["credit_note_line_item"]) == set(), line["id"]


def test_2020_links_come_back(old, objects):
    """The pinned links (invoice payments, parent) answered as 2020 fields."""
    # An intent paying several invoices: the first paid, then first created, then lowest id.
    invoice_of: dict[str, str] = {}
    ranked = sorted(
        invoice_payments(objects), key=lambda p: (p["status"] != "paid", p["created"], p["invoice"])
    )
    for pay in ranked:
        invoice_of.setdefault(pay["payment"]["payment_intent"], pay["invoice"])
    charges = every(old.url, "/v1/charges")
    assert {c["id"]: c["invoice"] for c in charges} == {
        c["id"]: invoice_of.get(c["payment_intent"]) for c in objects["charges"]
    }
    refunds: dict[str, list[str]] = {}
    for refund in objects["refunds"]:
        refunds.setdefault(refund["charge"], []).append(refund["id"])
    assert {c["id"]: sorted(r["id"] for r in c["refunds"]["data"]) for c in charges} == {
        c["id"]: sorted(refunds.get(c["id"], [])) for c in objects["charges"]
    }
    invoices = {i["id"]: i for i in every(old.url, "/v1/invoices")}
    for inv in visible(objects, "invoices"):
        served = invoices[inv["id"]]
        parent = (inv.get("parent") or {}).get("subscription_details") or {}
        assert served["subscription"] == parent.get("subscription")
        assert served["paid"] is (inv["status"] == "paid")
        taxes = sum(t["amount"] for t in inv.get("total_taxes") or [])
        assert sum(t["amount"] for t in served["total_tax_amounts"]) == taxes
        assert "total_taxes" not in served and "parent" not in served
        for line, rendered in zip(served["lines"]["data"], inv["lines"]["data"], strict=False):
            details = (rendered.get("parent") or {}).get("subscription_item_details") or {}
            assert line["proration"] is bool(details.get("proration"))
    subs = {s["id"]: s for s in every(old.url, "/v1/subscriptions?status=all")}
    for sub in objects["subscriptions"]:
        first = sub["items"]["data"][0]
        assert subs[sub["id"]]["current_period_end"] == first["current_period_end"]
        assert "current_period_end" not in subs[sub["id"]]["items"]["data"][0]


def test_pinned_server_has_none_of_the_2020_fields(pinned):
    charge = every(pinned.url, "/v1/charges")[0]
    invoice = every(pinned.url, "/v1/invoices")[0]
    sub = every(pinned.url, "/v1/subscriptions")[0]
    assert "invoice" not in charge and "refunds" not in charge
    assert "total_tax_amounts" not in invoice and "paid" not in invoice
    assert "current_period_start" not in sub


def test_no_invoice_payments_in_2020(old, pinned):
    status, body = call(old.url, "/v1/invoice_payments")
    assert status == 404
    assert body["error"]["message"].startswith(
        "Unrecognized request URL (GET: /v1/invoice_payments)"
    )
    assert call(pinned.url, "/v1/invoice_payments")[0] == 200


def test_old_events_carry_their_versions_shape(pinned, schemas):
    events = [e for e in every(pinned.url, "/v1/events") if e["id"].startswith("evt_case")]
    assert {e["api_version"] for e in events} == {"2020-08-27", "2024-06-20", API_VERSION}
    for event in events:
        obj = event["data"]["object"]
        kind = obj["object"]
        if event["api_version"] == API_VERSION:
            assert "total_tax_amounts" not in obj and "invoice" not in (
                obj if kind == "charge" else {}
            )
            continue
        assert (
            missing(obj, schemas[kind]) - ({"refunds"} if event["api_version"] != OLD else set())
            == set()
        )
        assert "payments" not in obj
        if kind == "charge":
            assert "invoice" in obj
            assert ("refunds" in obj) is (event["api_version"] == OLD)


def test_command_line_api_version(tmp_path):
    fixtures = SPEC.parent / "fixtures3.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [sys.executable, "-m", "sandbox.stripe", "--examples", str(fixtures), "--port", "0"]
    proc = subprocess.Popen(
        [*cmd, "--scale", "0.1", "--api-version", OLD], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        line = proc.stdout.readline()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        status, page = call(url, "/v1/charges?limit=3")
        assert status == 200 and all("invoice" in c and "refunds" in c for c in page["data"])
        assert call(url, "/v1/invoice_payments")[0] == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_old_account_sees_every_event_in_its_version(old, objects, schemas):
    rendered = {e["id"]: e for e in objects["events"]}
    events = [e for e in every(old.url, "/v1/events") if e["id"].startswith("evt_case")]
    assert len(events) == len([i for i in rendered if i.startswith("evt_case")])
    for event in events:
        obj = event["data"]["object"]
        assert event["api_version"] == OLD
        assert missing(obj, schemas[obj["object"]]) == set(), event["id"]
        source = rendered[event["id"]]["data"]["object"]
        if obj["object"] == "invoice":
            parent = (source.get("parent") or {}).get("subscription_details") or {}
            assert obj["subscription"] == parent.get("subscription"), event["api_version"]


def test_old_shapes_follow_writes(objects):
    """A refund written after the first answer shows in the charge's 2020 `refunds`."""
    with serve(StripeStore(objects), api_version=OLD) as running:
        charge = next(c for c in objects["charges"] if c["paid"] and not c["amount_refunded"])
        status, before = call(running.url, f"/v1/charges/{charge['id']}")
        assert status == 200 and before["refunds"]["data"] == []
        status, refund = call(
            running.url, "/v1/refunds", "POST", form=f"charge={charge['id']}&amount=1"
        )
        assert status == 200, refund
        after = call(running.url, f"/v1/charges/{charge['id']}")[1]
        assert [r["id"] for r in after["refunds"]["data"]] == [refund["id"]]
        assert after["amount_refunded"] == 1
