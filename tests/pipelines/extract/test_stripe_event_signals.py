"""Events as signals: the objects they name are read again in the pinned API version,
deletions land tombstones, an event visible late is still seen, and a stale feed forces a
full listing even in the middle of a resumed one."""

from __future__ import annotations

import copy

from gateways.stripe import StripeGateway
from pipelines.extract.base import DAY, EntityCursor, Resume
from pipelines.extract.batch import LandingBatch
from pipelines.extract.landing import land_batch
from pipelines.extract.stripe import extract_stripe_entity
from tests.pipelines.extract.conftest import raw_payloads
from tests.pipelines.extract.stub_stripe import StubStripe
from tests.pipelines.extract.test_stripe_new_entities import ACCOUNT

T0 = 1_780_000_000
quiet = [].append


def charge(n: int) -> dict:
    return {
        "id": f"ch_{n:04d}", "object": "charge", "created": T0 - 40 * DAY + n * DAY,
        "amount": 1000, "amount_captured": 1000, "amount_refunded": 0, "currency": "usd",
        "status": "succeeded", "refunded": False,
    }  # fmt: skip


def customer(n: int) -> dict:
    return {
        "id": f"cus_{n:04d}", "object": "customer", "created": T0 - 40 * DAY + n,
        "balance": 0, "currency": "usd", "email": f"c{n}@example.com",
    }  # fmt: skip


def event(n: int, kind: str, obj: dict, created: int, version="2026-10-28.endive") -> dict:
    return {
        "id": f"evt_{n:05d}", "object": "event", "api_version": version, "created": created,
        "type": kind, "data": {"object": copy.deepcopy(obj)},
    }  # fmt: skip


def older(obj: dict) -> dict:
    """A charge as 2020-08-27 described it: no amount_captured, an `invoice` field."""
    old = {k: v for k, v in obj.items() if k != "amount_captured"}
    return {**old, "invoice": "in_old", "amount_refunded": 1}  # a stale amount too


def run(stub: StubStripe, entity: str, path, at: int = T0, log=quiet):
    gateway = StripeGateway(ACCOUNT, http_client=stub, sleep=id)
    return extract_stripe_entity(ACCOUNT, entity, path, gateway=gateway, log=log, now=lambda: at)


def test_an_object_named_by_an_old_version_event_is_read_again_in_the_pinned_one(tmp_path):
    path = tmp_path / "w"
    charges = [charge(n) for n in range(30)]
    stub = StubStripe(
        {"charges": charges, "events": [event(0, "charge.succeeded", charges[0], T0)]}
    )
    run(stub, "charges", path)

    changed = stub.objects["charges"][5]
    changed.update(amount_refunded=400, refunded=False)
    stub.objects["events"].append(
        event(1, "charge.refunded", older(changed), T0 + 60, version="2020-08-27")
    )
    stub.requests.clear()
    result = run(stub, "charges", path, at=T0 + 120)

    assert raw_payloads(path, "charges") == {("main", c["id"]): c for c in stub.objects["charges"]}
    assert result.events_applied == 1
    assert stub.requests.count(f"/v1/charges/{changed['id']}") == 1


def test_an_event_that_becomes_visible_late_is_still_seen(tmp_path):
    path = tmp_path / "w"
    charges = [charge(n) for n in range(10)]
    stub = StubStripe(
        {"charges": charges, "events": [event(0, "charge.succeeded", charges[0], T0)]}
    )
    run(stub, "charges", path)
    late = stub.objects["charges"][3]
    late["amount_refunded"] = 250
    # created five minutes before the newest event already read, visible only now
    stub.objects["events"].append(event(1, "charge.refunded", late, T0 - 300))
    run(stub, "charges", path, at=T0 + 60)
    assert raw_payloads(path, "charges")[("main", late["id"])]["amount_refunded"] == 250


def test_deletions_land_tombstones_and_a_cancellation_does_not(tmp_path):
    path = tmp_path / "w"
    customers = [customer(n) for n in range(6)]
    invoices = [
        {
            "id": f"in_{n:04d}", "object": "invoice", "created": T0 - 40 * DAY + n,
            "currency": "usd", "status": "draft", "total": 100,
            "lines": {"object": "list", "data": [], "has_more": False, "url": "/v1/x"},
        }
        for n in range(4)
    ]  # fmt: skip
    subs = [
        {"id": "sub_0001", "object": "subscription", "created": T0 - 40 * DAY,
         "status": "active", "currency": "usd",
         "items": {"object": "list", "data": [], "has_more": False, "url": "/v1/x"}},
    ]  # fmt: skip
    stub = StubStripe(
        {"customers": customers, "invoices": invoices, "subscriptions": subs, "events": []}
    )
    for entity in ("customers", "invoices", "subscriptions"):
        run(stub, entity, path)

    stub.deleted = {"customers": {"cus_0001", "cus_0002"}, "invoices": {"in_0003"}}
    subs[0]["status"] = "canceled"
    stub.objects["subscriptions"][0]["status"] = "canceled"
    stub.objects["events"] += [
        event(1, "customer.deleted", customers[1], T0 + 10),  # the deletion itself
        event(2, "customer.updated", customers[2], T0 + 11),  # retrieve: the deleted stub
        event(3, "invoice.updated", invoices[3], T0 + 12),  # retrieve: 404 resource_missing
        event(4, "customer.subscription.deleted", subs[0], T0 + 13),  # a cancellation
    ]
    for entity in ("customers", "invoices", "subscriptions"):
        run(stub, entity, path, at=T0 + 60)

    def stone(i, kind):
        return {"id": i, "object": kind, "deleted": True}

    assert raw_payloads(path, "customers") == {
        **{("main", c["id"]): c for c in customers},
        ("main", "cus_0001"): stone("cus_0001", "customer"),
        ("main", "cus_0002"): stone("cus_0002", "customer"),
    }
    assert raw_payloads(path, "invoices") == {
        **{("main", i["id"]): i for i in invoices},
        ("main", "in_0003"): stone("in_0003", "invoice"),
    }
    assert raw_payloads(path, "subscriptions") == {("main", "sub_0001"): subs[0]}
    # the customer.deleted event was enough: the deleted customer was not read again
    assert "/v1/customers/cus_0001" not in stub.requests


def test_a_stale_feed_forces_a_full_listing_even_when_resuming(tmp_path):
    path = tmp_path / "w"
    charges = [charge(n) for n in range(250)]
    stub = StubStripe({"charges": charges, "events": []})
    long_ago = T0 - 31 * DAY
    # a listing killed a month ago, two pages in: its resume point is still saved
    stale = EntityCursor(
        events_after=long_ago, events_checked_at=long_ago,
        resume=Resume(charges[-200]["id"], None, None),
    )  # fmt: skip
    land_batch(path, LandingBatch("stripe", "main", "charges", cursor=stale.to_json()))
    messages: list[str] = []
    result = run(stub, "charges", path, log=messages.append)
    assert any("full re-list" in m for m in messages)
    assert result.objects_seen == 250  # from the newest, not from the resume point
    assert raw_payloads(path, "charges") == {("main", c["id"]): c for c in charges}
    assert result.cursor["resume"] is None and result.cursor["events_checked_at"] == T0
