"""The retry policy on its own: which answers are retried and how long each wait is."""

from __future__ import annotations

import pytest

from gateways.retry import Outcome, RetryPolicy, call_with_retries, retry_after_seconds
from gateways.stripe.transport import STRIPE_SIGNALS


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {}, True),
        (409, {}, True),
        (500, {}, True),
        (503, {}, True),
        (None, {}, True),  # dropped connection
        (400, {}, False),
        (401, {}, False),
        (403, {}, False),
        (404, {}, False),
        (500, {"stripe-should-retry": "false"}, False),
        (429, {"stripe-should-retry": "false"}, False),
        (400, {"stripe-should-retry": "true"}, True),
    ],
)
def test_which_answers_are_retried(status, headers, expected):
    assert RetryPolicy(signals=STRIPE_SIGNALS).wants_retry(status, headers) is expected


def test_backoff_doubles_up_to_the_cap_with_jitter_between_half_and_all():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    waits = [policy.wait_seconds(n, {}, jitter=0.0) for n in range(1, 7)]
    assert waits == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    full = [policy.wait_seconds(n, {}, jitter=0.999999) for n in range(1, 7)]
    assert full == pytest.approx([0.5, 1.0, 2.0, 4.0, 4.0, 4.0], rel=1e-5)


def test_retry_after_is_a_floor_not_a_replacement():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    assert policy.wait_seconds(1, {"retry-after": "3"}, jitter=0.0) == 3.0
    # a backoff already longer than Retry-After is kept
    assert policy.wait_seconds(5, {"retry-after": "1"}, jitter=0.999999) == pytest.approx(4.0)


def test_gives_up_after_max_attempts_or_on_an_unreasonable_retry_after():
    policy = RetryPolicy(max_attempts=3, max_retry_after=60)
    assert not policy.gives_up(2, 1.0)
    assert policy.gives_up(3, 1.0)
    assert policy.gives_up(1, 61.0)


@pytest.mark.parametrize(
    ("value", "expected"), [("2", 2.0), ("0.5", 0.5), ("soon", None), ("-1", None)]
)
def test_retry_after_parsing(value, expected):
    assert retry_after_seconds({"retry-after": value}) == expected
    assert retry_after_seconds({}) is None


def test_without_a_gateways_signals_its_headers_mean_nothing():
    """Stripe-Should-Retry is Stripe's word: the default policy neither obeys nor needs it."""
    assert RetryPolicy().wants_retry(500, {"stripe-should-retry": "false"}) is True
    assert RetryPolicy().wants_retry(400, {"stripe-should-retry": "true"}) is False


def test_call_with_retries_retries_what_the_policy_wants_and_reports_giving_up():
    answers = iter(
        [Outcome(503, {}, b""), Outcome(429, {"retry-after": "2"}, b""), Outcome(200, {}, b"ok")]
    )
    waits: list[float] = []
    final = call_with_retries(
        lambda: next(answers), RetryPolicy(base_delay=0.5), sleep=waits.append, jitter=lambda: 0.0
    )
    assert (final.outcome.body, final.attempts, final.gave_up) == (b"ok", 3, False)
    assert waits == [0.25, 2.0]  # the backoff, then Retry-After as a floor

    stuck = call_with_retries(
        lambda: Outcome(500, {}, b""),
        RetryPolicy(max_attempts=3),
        sleep=waits.append,
        jitter=lambda: 0.0,
    )
    assert (stuck.attempts, stuck.gave_up) == (3, True)
    refused = call_with_retries(
        lambda: Outcome(404, {}, b""), RetryPolicy(), sleep=waits.append, jitter=lambda: 0.0
    )
    assert (refused.attempts, refused.gave_up) == (1, False)


def test_a_page_that_does_not_parse_is_retried_like_a_server_error():
    answers = iter([Outcome(200, {}, b"<html>"), Outcome(200, {}, b"{}")])
    final = call_with_retries(
        lambda: next(answers),
        RetryPolicy(),
        sleep=lambda s: None,
        jitter=lambda: 0.0,
        accept=lambda o: None if o.body == b"{}" else Outcome(502, o.headers, o.body, "bad"),
    )
    assert (final.outcome.body, final.attempts) == (b"{}", 2)
