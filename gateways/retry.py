"""When to retry a gateway call and how long to wait: one policy for every gateway.

Retries 429, 409 and 5xx answers and dropped connections; a gateway's explicit "do not retry"
(Stripe-Should-Retry: false) wins. Waits grow exponentially with jitter up to a cap, and never
less than the server's Retry-After. Jitter comes from an injected source so tests are exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RETRYABLE_STATUS = frozenset({409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6  # attempts in all, the first included
    base_delay: float = 0.5  # seconds before the first retry, before jitter
    max_delay: float = 20.0  # cap of the exponential part
    max_retry_after: float = 120.0  # a server asking for a longer wait is an error, not a wait

    def wants_retry(self, status: int | None, headers: Mapping[str, str]) -> bool:
        """True for an answer worth retrying; `status` None means no answer (connection)."""
        should = headers.get("stripe-should-retry")
        if should == "false":
            return False
        if should == "true" or status is None:
            return True
        return status in RETRYABLE_STATUS or status >= 500

    def wait_seconds(self, retry_number: int, headers: Mapping[str, str], jitter: float) -> float:
        """Seconds to wait before retry number `retry_number` (1-based); jitter in [0, 1)."""
        backoff = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        backoff *= 0.5 + 0.5 * jitter  # "equal jitter": between half and all of the backoff
        return max(backoff, retry_after_seconds(headers) or 0.0)

    def gives_up(self, attempt: int, wait: float) -> bool:
        """After `attempt` attempts, stop instead of waiting `wait` seconds?"""
        return attempt >= self.max_attempts or wait > self.max_retry_after


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Retry-After as delta-seconds (what Stripe and most APIs send); None when absent or odd."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value >= 0 else None
