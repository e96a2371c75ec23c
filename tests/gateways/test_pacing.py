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


def test_a_path_waiting_for_its_own_limit_holds_no_other_path_back():
    """Threads asking at one moment (the clock does not move while they wait): a second
    request to a path waits for that path's limit, and a request to another path still takes
    the next free slot of the total, before it, not a place in a queue behind it."""
    waits: list[float] = []
    pacer = Pacer(RateLimits(25, 100), clock=lambda: 0.0, sleep=waits.append)
    for path in ("/v1/charges", "/v1/charges", "/v1/customers", "/v1/invoices"):
        pacer.wait(path)
    total, per_path = 1 / (100 * HEADROOM), 1 / (25 * HEADROOM)
    assert waits == [per_path, total, 2 * total]  # the first request went at once
    # every booking keeps a total gap from every other
    pacer.wait("/v1/charges")  # its own limit: after the second, and clear of the rest
    assert waits[-1] == 2 * per_path


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


BOOK = """
import sys, time
from pathlib import Path
from gateways.pacing import Pacer, RateLimits
pacer = Pacer(RateLimits(None, 100.0), state_path=Path(sys.argv[1]))
print(time.monotonic(), flush=True)
for _ in range(int(sys.argv[2])):
    pacer.wait("/v1/charges")
print(time.monotonic(), flush=True)
"""


def test_processes_naming_one_state_file_share_one_budget(tmp_path):
    """Two processes booking 40 requests each under 100 a second in all: shared, the 80 take
    at least 79 gaps end to end; each on its own budget they would take half that."""
    import subprocess
    import sys

    state = tmp_path / "pacer.json"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", BOOK, str(state), "40"], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    spans = [tuple(map(float, run.communicate(timeout=60)[0].split())) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    first_done = min(end for _, end in spans)
    last_done = max(end for _, end in spans)
    latest_start = max(start for start, _ in spans)
    assert latest_start < first_done  # they overlapped
    # after both started, the later finisher waited for every booking of both
    assert last_done - min(start for start, _ in spans) >= 79 / (100 * HEADROOM) - 0.02


def test_a_booking_from_another_boot_is_ignored(tmp_path):
    """A state file whose bookings lie far ahead (the monotonic clock restarted) does not
    stall requests."""
    state = tmp_path / "pacer.json"
    state.write_text('{"booked": [1e12], "paths": {"/a": 1e12}}')
    fake = FakeTime()
    pacer = Pacer(RateLimits(25, 100), clock=fake.clock, sleep=fake.sleep, state_path=state)
    assert sent_at(pacer, fake, ["/a", "/a"]) == [0.0, 1 / (25 * HEADROOM)]
    pacer.close()


def test_shared_pacers_book_in_a_state_file_per_key_and_limits(tmp_path, monkeypatch):
    from gateways.pacing import PACER_DIR_ENV, state_path_for

    monkeypatch.setenv(PACER_DIR_ENV, str(tmp_path))
    a = state_path_for(("stripe", "a", "x"), RateLimits(25, 100))
    assert a.parent == tmp_path
    assert a == state_path_for(("stripe", "a", "x"), RateLimits(25, 100))
    assert a != state_path_for(("stripe", "b", "x"), RateLimits(25, 100))
    assert a != state_path_for(("stripe", "a", "x"), RateLimits(25, 25))
