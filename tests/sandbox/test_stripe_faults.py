"""Fault injection in the Stripe sandbox, as the SDK and the raw extraction client see it."""

from __future__ import annotations

import orjson
import pytest
import stripe

from sandbox.stripe.app import DEFAULT_API_KEY
from sandbox.stripe.faults import (
    AMOUNT_AS_STRING,
    MISSING_CREATED,
    NULL_CURRENCY,
    FaultPlan,
)

HEADERS = {"Authorization": f"Bearer {DEFAULT_API_KEY}", "Stripe-Version": stripe.api_version}


def get(server, path: str):
    body, status, headers = stripe.RequestsClient().request("get", server.url + path, HEADERS)
    return status, body, headers


def test_every_nth_request_is_rate_limited(stripe_server, stripe_client):
    stripe_server.faults = FaultPlan(rate_limit_every=3, retry_after_seconds=2)
    statuses = [get(stripe_server, "/v1/customers?limit=1")[0] for _ in range(6)]
    assert statuses == [200, 200, 429, 200, 200, 429]
    stripe_server.faults = FaultPlan(rate_limit_every=1, retry_after_seconds=2)
    with pytest.raises(stripe.RateLimitError) as caught:
        stripe_client.v1.charges.list()
    error = caught.value
    assert error.http_status == 429 and error.json_body["error"]["code"] == "rate_limit"
    assert error.headers["retry-after"] == "2"
    assert "stripe-should-retry" not in error.headers
    stripe_server.faults.rate_limit_should_retry = True
    _, _, headers = get(stripe_server, "/v1/charges")
    assert headers["stripe-should-retry"] == "true"


def test_every_mth_request_is_a_server_error(stripe_server, stripe_client):
    stripe_server.faults = FaultPlan(server_error_every=2)
    assert stripe_client.v1.charges.list().data
    with pytest.raises(stripe.APIError) as caught:
        stripe_client.v1.charges.list()
    assert caught.value.http_status == 500
    assert caught.value.headers["stripe-should-retry"] == "true"
    assert caught.value.json_body["error"]["type"] == "api_error"


def test_first_requests_to_a_path_fail_then_the_sdk_retry_succeeds(stripe_server):
    stripe_server.faults = FaultPlan(fail_first={"/v1/invoices": 2})
    assert [get(stripe_server, "/v1/invoices")[0] for _ in range(3)] == [500, 500, 200]
    assert get(stripe_server, "/v1/charges")[0] == 200

    stripe_server.faults = FaultPlan(fail_first={"/v1/refunds": 1})
    retrying = stripe.StripeClient(
        DEFAULT_API_KEY, base_addresses={"api": stripe_server.url}, max_network_retries=2
    )
    before = stripe_server.requests_by_path["/v1/refunds"]
    assert retrying.v1.refunds.list().data
    assert stripe_server.requests_by_path["/v1/refunds"] == before + 2


@pytest.mark.parametrize("variant", [AMOUNT_AS_STRING, MISSING_CREATED, NULL_CURRENCY])
def test_malformed_objects_are_served_malformed(stripe_server, stripe_objects, variant):
    target = stripe_objects["charges"][-1]  # the newest: first on the first page
    stripe_server.faults.malform([target["id"]], variant)
    _, body, _ = get(stripe_server, "/v1/charges?limit=2")
    served = orjson.loads(body)["data"]
    assert served[0]["id"] == target["id"]
    broken = served[0]
    if variant == AMOUNT_AS_STRING:
        assert broken["amount"] == f"{target['amount'] // 100}.{target['amount'] % 100:02d}"
    elif variant == MISSING_CREATED:
        assert "created" not in broken
    else:
        assert broken["currency"] is None
    assert orjson.dumps(served[1]) == stripe_server.store.retrieve("charges", served[1]["id"])
    _, single, _ = get(stripe_server, f"/v1/charges/{target['id']}")
    assert orjson.loads(single) == broken


def test_requests_are_counted_by_path(stripe_server, stripe_client):
    for _ in range(3):
        stripe_client.v1.disputes.list()
    stripe_client.v1.tax_rates.list()
    assert stripe_server.requests_by_path["/v1/disputes"] == 3
    assert stripe_server.requests_by_path["/v1/tax_rates"] == 1


def test_late_visible_event(stripe_server, stripe_objects):
    """An event older than ones already served appears only after N further requests."""
    events = sorted(stripe_objects["events"], key=lambda e: e["created"])
    late = events[len(events) // 2]  # older than the newest events
    newest = events[-1]
    assert late["created"] < newest["created"]
    plan = FaultPlan()
    stripe_server.faults = plan
    plan.delay_event([late["id"]], requests=3)

    def listed() -> list[str]:
        status, body, _ = get(stripe_server, "/v1/events?limit=100")
        assert status == 200
        return [e["id"] for e in orjson.loads(body)["data"]]

    truth = [e["id"] for e in sorted(events, key=lambda e: e["created"], reverse=True)]
    first = listed()
    assert first == [i for i in truth if i != late["id"]] and newest["id"] in first
    assert get(stripe_server, f"/v1/events/{late['id']}")[0] == 404
    assert late["id"] not in listed()  # the 3rd request since the delay: still hidden
    assert sorted(listed()) == sorted(truth)  # the 4th sees it, in its old place
    assert get(stripe_server, f"/v1/events/{late['id']}")[0] == 200
