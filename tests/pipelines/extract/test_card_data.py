"""No raw table (nor the quarantine) keeps card data beyond brand, last four digits, expiry
and country: fingerprints, wallets, checks and the rest are cut before the hash."""

from __future__ import annotations

import copy

import duckdb
import orjson

from gateways.stripe.entities import ENTITIES
from pipelines.extract.stripe import extract_stripe_entity
from sandbox.stripe.faults import AMOUNT_AS_STRING
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from tests.pipelines.extract.conftest import account_for, raw_payloads

quiet = [].append
ALLOWED_UNDER_CARD = {
    "brand", "last4", "exp_month", "exp_year", "country",
    # not card data, filed by Stripe under `card`: disputes' case, refunds' network reference
    "case_type", "network_reason_code", "type", "reference", "reference_status",
    "reference_type",
}  # fmt: skip
NEVER = {"fingerprint", "wallet", "checks", "three_d_secure", "network_token", "cvc_check"}

OLD_SOURCE = {  # a card object as 2020-08-27 embedded it in a charge's `source`
    "id": "card_1Old", "object": "card", "brand": "Visa", "last4": "4242", "exp_month": 4,
    "exp_year": 2031, "country": "US", "fingerprint": "Xt5EWLLDS7FJjR1c", "cvc_check": "pass",
    "address_zip": "94107", "name": "Jenny Rosen", "funding": "credit", "customer": None,
}  # fmt: skip


def with_old_card_objects(rendered: dict) -> dict:
    objects = {k: copy.deepcopy(v) for k, v in rendered.items() if isinstance(v, list)}
    objects["charges"][0]["source"] = dict(OLD_SOURCE)
    wallet = {"type": "apple_pay", "apple_pay": {}, "dynamic_last4": "1234"}
    objects["charges"][1]["payment_method_details"]["card"]["wallet"] = wallet
    objects["customers"][0]["sources"] = {
        "object": "list", "data": [dict(OLD_SOURCE)], "has_more": False, "url": "/v1/x",
    }  # fmt: skip
    return objects


def walk(value, key=None):
    """Every (key, dict) pair below value."""
    if isinstance(value, dict):
        yield key, value
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


def card_problems(doc) -> list[str]:
    problems = []
    for key, d in walk(doc):
        problems += [f"{k} kept" for k in NEVER if k in d]
        if key in ("card", "card_present", "interac_present") or d.get("object") == "card":
            problems += [f"{k} kept under a card" for k in set(d) - ALLOWED_UNDER_CARD]
    return problems


def test_no_raw_table_keeps_card_details_beyond_the_five(rendered, tmp_path):
    objects = with_old_card_objects(rendered)
    store = StripeStore(objects)
    with store.lock:
        for charge_id in store.tables["charges"].ids[:5]:
            store.emit("charge.succeeded", store.load("charges", charge_id))
    path = tmp_path / "w.duckdb"
    with serve(store) as server:
        sandbox_charge = store.load("charges", objects["charges"][1]["id"])
        server.faults.malform([objects["charges"][2]["id"]], AMOUNT_AS_STRING)
        for entity in ENTITIES:
            extract_stripe_entity(account_for(server), entity, path, log=quiet)

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.sql(
            "select table_name from information_schema.tables where table_schema = 'raw_stripe'"
        ).fetchall()]  # fmt: skip
        payloads = {
            t: [
                orjson.loads(p)
                for (p,) in con.sql(f"select payload from raw_stripe.{t}").fetchall()
            ]
            for t in tables
        }
        quarantined = [orjson.loads(r) for (r,) in con.sql(
            "select raw_text from ledgerdesk.quarantine").fetchall()]  # fmt: skip
    finally:
        con.close()
    assert set(tables) >= {"charges", "customers", "disputes", "refunds", "events"}
    assert len(payloads["events"]) == store.count("events") and len(quarantined) == 1
    for table, docs in payloads.items():
        for doc in docs:
            assert card_problems(doc) == [], (table, doc["id"])
    assert card_problems(quarantined) == []

    charges = raw_payloads(path, "charges")
    card = sandbox_charge["payment_method_details"]["card"]
    assert charges[("main", sandbox_charge["id"])]["payment_method_details"]["card"] == {
        "brand": card["brand"], "last4": card["last4"], "exp_month": card["exp_month"],
        "exp_year": card["exp_year"], "country": card["country"],
    }  # fmt: skip
    old = charges[("main", objects["charges"][0]["id"])]["source"]
    assert old == {"brand": "Visa", "last4": "4242", "exp_month": 4, "exp_year": 2031,
                   "country": "US"}  # fmt: skip
    customer_id = objects["customers"][0]["id"]
    if "sources" in store.load("customers", customer_id):  # a store that serves it unasked
        customer = raw_payloads(path, "customers")[("main", customer_id)]
        assert customer["sources"]["data"] == [old]


def test_every_card_like_place_is_cut_and_the_rest_stays():
    from pipelines.extract.batch import LandingBatch

    full = {"brand": "visa", "last4": "4242", "exp_month": 1, "exp_year": 2030,
            "country": "DE", "fingerprint": "f", "funding": "credit", "iin": "424242",
            "issuer": "Bank", "network": "visa", "wallet": {"type": "google_pay"}}  # fmt: skip
    five = {"brand": "visa", "last4": "4242", "exp_month": 1, "exp_year": 2030, "country": "DE"}
    intent = {
        "id": "pi_1", "object": "payment_intent", "created": 1, "amount": 100,
        "payment_method": {"id": "pm_1", "object": "payment_method", "type": "card",
                           "card": dict(full), "billing_details": {"name": "A"}},
        "latest_charge": {"id": "ch_1", "object": "charge", "payment_method_details": {
            "type": "card_present", "card_present": dict(full)}},
        "next": {"interac_present": dict(full), "sepa_debit": {"fingerprint": "b", "last4": "3"}},
    }  # fmt: skip
    batch = LandingBatch("stripe", "main", "payment_intents")
    batch.add(intent, 1)
    assert orjson.loads(batch.payloads[0]) == {
        "id": "pi_1", "object": "payment_intent", "created": 1, "amount": 100,
        "payment_method": {"id": "pm_1", "object": "payment_method", "type": "card",
                           "card": five, "billing_details": {"name": "A"}},
        "latest_charge": {"id": "ch_1", "object": "charge", "payment_method_details": {
            "type": "card_present", "card_present": five}},
        "next": {"interac_present": five, "sepa_debit": {"last4": "3"}},
    }  # fmt: skip
    assert intent["payment_method"]["card"] == full  # the caller's object is left alone
