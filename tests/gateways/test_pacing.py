"""The pacer spaces requests under both limits, per path and in all, on a fake clock, and the
Stripe reader paces by endpoint (a retrieve counts against its list's endpoint)."""

from __future__ import annotations

import threading

from gateways.pacing import HEADROOM, Pacer, RateLimits, shared_pacer
from gateways.stripe.gateway import LIVE_LIMITS, TEST_LIMITS, rate_limits_for
from gateways.stripe.transport import endpoint
from ledgerdesk.config import GatewayAccount


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def sent_at(pacer: Pacer, fake: FakeTime, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        pacer.wait(path)
        times.append(fake.now)
    return times


def test_one_path_is_held_to_its_own_limit():
    fake = FakeTime()
    pacer = Pacer(RateLimits(25, 100), clock=fake.clock, sleep=fake.sleep)
    times = sent_at(pacer, fake, ["/v1/charges"] * 51)
    assert abs((times[-1] - times[0]) - 50 / (25 * HEADROOM)) < 1e-9
    assert max(sum(1 for t in times if s <= t < s + 1) for s in times) <= 25


def test_many_paths_are_held_to_the_total():
    fake = FakeTime()
    pacer = Pacer(RateLimits(25, 100), clock=fake.clock, sleep=fake.sleep)
    paths = [f"/v1/e{n % 8}" for n in range(201)]
    times = sent_at(pacer, fake, paths)
    assert abs((times[-1] - times[0]) - 200 / (100 * HEADROOM)) < 1e-9
    assert max(sum(1 for t in times if s <= t < s + 1) for s in times) <= 100


def test_no_limits_no_wait():
    fake = FakeTime()
    pacer = Pacer(RateLimits(None, None), clock=fake.clock, sleep=fake.sleep)
    assert sent_at(pacer, fake, ["/a"] * 10) == [0.0] * 10


def test_an_account_shares_one_pacer_and_stripe_paces_by_endpoint():
    limits = RateLimits(25, 100)
    assert shared_pacer(("stripe", "a", "x"), limits) is shared_pacer(("stripe", "a", "x"), limits)
    assert shared_pacer(("stripe", "a", "x"), limits) is not shared_pacer(
        ("stripe", "b", "x"), limits
    )
    assert endpoint("/v1/charges") == "/v1/charges"
    assert endpoint("/v1/charges/ch_1") == endpoint("/v1/charges/ch_2") == "/v1/charges/{id}"
    assert endpoint("/v1/invoices/in_1/lines") == "/v1/invoices/{id}"


def test_stripe_limits_by_where_the_account_points():
    live = GatewayAccount("stripe", "a", api_key="sk_live_x")
    test = GatewayAccount("stripe", "a", api_key="sk_test_x")
    sandbox = GatewayAccount("stripe", "a", api_key="sk_test_x", api_base="http://127.0.0.1:1")
    paced = GatewayAccount(
        "stripe", "a", api_key="sk_test_x", api_base="http://127.0.0.1:1",
        rate_limits={"per_path_per_second": 25.0, "total_per_second": 100.0},
    )  # fmt: skip
    assert rate_limits_for(live) == LIVE_LIMITS and rate_limits_for(test) == TEST_LIMITS
    assert rate_limits_for(sandbox) is None
    assert rate_limits_for(paced) == RateLimits(25.0, 100.0)
