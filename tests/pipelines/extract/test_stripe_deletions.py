"""A full refresh removes the raw rows of objects the gateway no longer lists, also when it
was killed half-way and resumed; rows it saw (clean or quarantined) and events stay."""

from __future__ import annotations

import itertools

import pytest

from gateways.stripe import StripeGateway
from pipelines.extract.stripe import extract_stripe_entity
from tests.pipelines.extract.conftest import raw_payloads
from tests.pipelines.extract.stub_stripe import StubStripe
from tests.pipelines.extract.test_stripe_event_signals import T0, customer, event
from tests.pipelines.extract.test_stripe_new_entities import ACCOUNT

quiet = [].append


class Crash(Exception):
    pass


def run(stub, entity, path, *, full_refresh=False, log=quiet, clock=None, batch_objects=5_000):
    gateway = StripeGateway(ACCOUNT, http_client=stub, sleep=id, clock=clock or (lambda: T0))
    return extract_stripe_entity(
        ACCOUNT, entity, path, gateway=gateway, log=log, now=lambda: T0,
        full_refresh=full_refresh, batch_objects=batch_objects,
    )  # fmt: skip


def test_a_full_refresh_removes_rows_the_gateway_no_longer_lists(tmp_path):
    path = tmp_path / "w"
    customers = [customer(n) for n in range(40)]
    stub = StubStripe({"customers": customers, "events": []})
    run(stub, "customers", path)
    # deleted long ago (their events are out of the feed): cus_0003, cus_0004; cus_0005 was
    # deleted with an event, so its row is already a tombstone
    stub.deleted = {"customers": {"cus_0003", "cus_0004", "cus_0005"}}
    stub.objects["events"] = [event(1, "customer.deleted", customers[5], T0 + 5)]
    run(stub, "customers", path)
    assert raw_payloads(path, "customers")[("main", "cus_0005")]["deleted"] is True
    stub.objects["customers"][7]["balance"] = "12.50"  # malformed now: quarantined, seen
    # a later event, so the refresh's events read (from the newest, minus its overlap)
    # no longer reaches the deletion event
    stub.objects["events"].append(event(2, "customer.updated", customers[8], T0 + 5_000))

    result = run(stub, "customers", path, full_refresh=True, clock=lambda: T0 + 100)
    assert result.removed == 3 and result.quarantined == 1
    kept = {c["id"]: c for c in customers if c["id"] not in {"cus_0003", "cus_0004", "cus_0005"}}
    assert raw_payloads(path, "customers") == {("main", i): c for i, c in kept.items()}


def test_a_killed_full_refresh_resumed_later_removes_only_what_it_never_saw(tmp_path):
    path = tmp_path / "w"
    customers = [customer(n) for n in range(450)]
    stub = StubStripe({"customers": customers, "events": []})
    run(stub, "customers", path, batch_objects=100)
    gone = {"cus_0010", "cus_0400", "cus_0449"}  # early and late in the newest-first listing
    stub.deleted = {"customers": gone}
    ticks = itertools.count(T0 + 1_000, 50)  # every answer later than the one before

    landed: list[str] = []

    def crash_after_two(message):
        if "landed listing batch" in message:
            landed.append(message)
            if len(landed) == 2:
                raise Crash(message)

    with pytest.raises(Crash):
        run(stub, "customers", path, full_refresh=True, log=crash_after_two,
            clock=lambda: next(ticks), batch_objects=100)  # fmt: skip
    assert len(raw_payloads(path, "customers")) == 450  # nothing removed before the end

    result = run(stub, "customers", path, clock=lambda: next(ticks), batch_objects=100)
    assert result.removed == 3
    assert raw_payloads(path, "customers") == {
        ("main", c["id"]): c for c in customers if c["id"] not in gone
    }


def test_a_full_refresh_of_events_keeps_those_the_feed_has_forgotten(tmp_path):
    path = tmp_path / "w"
    old = [event(n, "charge.dispute.closed", customer(n), T0 - 40 * 86_400 + n) for n in range(5)]
    recent = [event(100 + n, "customer.created", customer(n), T0 - 60 + n) for n in range(5)]
    stub = StubStripe({"events": old + recent})
    run(stub, "events", path)
    stub.objects["events"] = recent  # Stripe keeps 30 days
    result = run(stub, "events", path, full_refresh=True, clock=lambda: T0 + 100)
    assert result.removed == 0
    assert raw_payloads(path, "events") == {("main", e["id"]): e for e in old + recent}
