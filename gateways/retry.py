"""When to retry a gateway call and how long to wait: one policy and one loop for every gateway.

The default rule retries 429, 409 and 5xx answers and dropped connections. A gateway feeds its
own retry signals (`RetrySignals`): a verdict that overrides the rule (Stripe-Should-Retry:
false never retries) and a wait hint from its headers (Retry-After; X-RateLimit-Reset). Waits
grow exponentially with jitter up to a cap, never shorter than the server's hint. Jitter and
sleep are injected so tests are exact. `call_with_retries` is the loop every transport uses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

RETRYABLE_STATUS = frozenset({409, 429})

# (status or None for no answer, lower-case headers) -> True retry / False never / None: rule
Verdict = Callable[[int | None, Mapping[str, str]], bool | None]
# lower-case headers -> seconds the server asks to wait, or None
WaitHint = Callable[[Mapping[str, str]], float | None]


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Retry-After as delta-seconds (what most APIs send); None when absent or odd."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def no_verdict(status: int | None, headers: Mapping[str, str]) -> bool | None:
    return None


@dataclass(frozen=True)
class RetrySignals:
    """A gateway's own words about retrying, fed to the one policy."""

    verdict: Verdict = no_verdict
    wait_hint: WaitHint = retry_after_seconds


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6  # attempts in all, the first included
    base_delay: float = 0.5  # seconds before the first retry, before jitter
    max_delay: float = 20.0  # cap of the exponential part
    max_retry_after: float = 120.0  # a server asking for a longer wait is an error, not a wait
    signals: RetrySignals = field(default_factory=RetrySignals)

    def wants_retry(self, status: int | None, headers: Mapping[str, str]) -> bool:
        """True for an answer worth retrying; `status` None means no answer (connection)."""
        verdict = self.signals.verdict(status, headers)
        if verdict is not None:
            return verdict
        if status is None:
            return True
        return status in RETRYABLE_STATUS or status >= 500

    def wait_seconds(self, retry_number: int, headers: Mapping[str, str], jitter: float) -> float:
        """Seconds to wait before retry number `retry_number` (1-based); jitter in [0, 1)."""
        backoff = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        backoff *= 0.5 + 0.5 * jitter  # "equal jitter": between half and all of the backoff
        return max(backoff, self.signals.wait_hint(headers) or 0.0)

    def gives_up(self, attempt: int, wait: float) -> bool:
        """After `attempt` attempts, stop instead of waiting `wait` seconds?"""
        return attempt >= self.max_attempts or wait > self.max_retry_after


@dataclass(frozen=True)
class Outcome:
    """One attempt's answer: status None when no answer came (the connection failed)."""

    status: int | None
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    problem: str = ""  # what went wrong, for the error message (scrubbed by the caller)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Final:
    """The last attempt's outcome, how many attempts were made, and whether it gave up."""

    outcome: Outcome
    attempts: int
    gave_up: bool


def call_with_retries(
    attempt: Callable[[], Outcome],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[], float],
    accept: Callable[[Outcome], Outcome | None] | None = None,
) -> Final:
    """Call `attempt` until it answers 2xx, or the answer is not worth retrying, or the
    policy gives up. `accept` may turn a 2xx outcome into a retryable failure (a page that
    does not parse: return an Outcome with status 502) or pass it (None)."""
    number = 0
    while True:
        number += 1
        outcome = attempt()
        if outcome.ok:
            failed = accept(outcome) if accept else None
            if failed is None:
                return Final(outcome, number, gave_up=False)
            outcome = failed
        if not policy.wants_retry(outcome.status, outcome.headers):
            return Final(outcome, number, gave_up=False)
        wait = policy.wait_seconds(number, outcome.headers, jitter())
        if policy.gives_up(number, wait):
            return Final(outcome, number, gave_up=True)
        sleep(wait)
