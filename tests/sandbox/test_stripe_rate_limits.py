"""Stripe's live rate limits on the sandbox: 25 requests a second per endpoint, 100 in all,
answered as Stripe answers (429, `rate_limit` in its error shape, `Retry-After`), counted on
a fake clock through the whole ASGI app."""

from __future__ import annotations

import orjson
import pytest

from sandbox.stripe.app import DEFAULT_API_KEY, StripeApp
from sandbox.stripe.faults import LIVE_RATE_LIMITS, FaultPlan
from sandbox.stripe.store import StripeStore
from tests.sandbox.asgi_call import FakeClock, call

AUTH = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
ENDPOINTS = ("/v1/charges", "/v1/customers", "/v1/refunds", "/v1/disputes")


@pytest.fixture
def limited(stripe_objects):
    clock = FakeClock(5000.0)
    store = StripeStore(stripe_objects, clock=lambda: 1_800_000_000)
    return StripeApp(store, FaultPlan(rate_limits=LIVE_RATE_LIMITS), clock=clock), clock


def test_live_limits_are_stripes():
    assert (LIVE_RATE_LIMITS.per_path_per_second, LIVE_RATE_LIMITS.total_per_second) == (25, 100)


def test_the_26th_request_to_an_endpoint_in_a_second_is_refused_as_stripe_does(limited):
    app, clock = limited
    answers = [call(app, "GET", "/v1/charges", AUTH, query=b"limit=1") for _ in range(26)]
    assert [a[0] for a in answers] == [200] * 25 + [429]
    _, headers, body = answers[-1]
    error = orjson.loads(body)["error"]
    assert error == {
        "code": "rate_limit",
        "doc_url": "https://stripe.com/docs/error-codes/rate-limit",
        "message": "Too many requests hit the API too quickly. We recommend an exponential "
        "backoff of your requests.",
        "type": "invalid_request_error",
    }
    assert headers["retry-after"] == "1" and "stripe-should-retry" not in headers
    assert headers["request-id"].startswith("req_sbx") and "stripe-version" in headers
    first = orjson.loads(answers[0][2])["data"][0]["id"]  # a retrieve is another endpoint
    assert call(app, "GET", f"/v1/charges/{first}", AUTH)[0] == 200
    clock.now += 1.0
    assert call(app, "GET", "/v1/charges", AUTH)[0] == 200


def test_a_hundred_in_all_a_second(limited):
    app, clock = limited
    for path in ENDPOINTS:
        assert {call(app, "GET", path, AUTH)[0] for _ in range(25)} == {200}, path
    assert call(app, "GET", "/v1/invoices", AUTH)[0] == 429  # the 101st, on a fresh endpoint
    clock.now += 0.999
    assert call(app, "GET", "/v1/invoices", AUTH)[0] == 429
    clock.now += 0.001
    assert call(app, "GET", "/v1/invoices", AUTH)[0] == 200
    assert app.requests_by_path["/v1/invoices"] == 3  # every request counted, refused or not
