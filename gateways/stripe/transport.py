"""GET a Stripe path through the official SDK's HTTP client, parse with orjson, retry, map errors.

Only the SDK's transport is used (keep-alive session, TLS bundle, connection-error handling):
building StripeObjects costs ~50x a plain JSON parse (STACK.md). Retries live in one layer,
ours (gateways/retry.py), so a 429 honours Retry-After, waits are injectable, and attempts never
multiply; the SDK's own retry loop is called with max_network_retries=0.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import orjson
import stripe

from gateways.errors import GatewayConnectionError, GatewayServerError, error_for_status
from gateways.pacing import Pacer
from gateways.redact import redact
from gateways.retry import Outcome, RetryPolicy, RetrySignals, call_with_retries
from gateways.server_time import server_time

USER_AGENT = f"Stripe/v1 PythonBindings/{stripe.VERSION} ledgerdesk/0.1"


class QuietRequestsClient(stripe.RequestsClient):
    """The SDK's requests client with its client telemetry off for this client only."""

    def _add_telemetry_header(self, headers: Mapping[str, str]) -> Mapping[str, str]:
        return headers

    def _record_request_metrics(self, response: Any, request_start: Any, usage: Any) -> None:
        return None


class StripeTransport:
    def __init__(
        self,
        *,
        api_key: str,
        api_base: str,
        account_label: str,
        http_client: stripe.HTTPClient | None,
        policy: RetryPolicy,
        sleep: Callable[[float], None],
        jitter: Callable[[], float],
        clock: Callable[[], float],
        pacer: Pacer | None = None,
    ) -> None:
        self._key = api_key
        self._pacer = pacer
        self._base = api_base.rstrip("/")
        self._label = account_label
        self._http = http_client or QuietRequestsClient()
        self._policy = policy
        self._sleep = sleep
        self._jitter = jitter or random.random
        self._clock = clock or time.time
        self._headers = {
            "Authorization": f"Bearer {api_key}",
            "Stripe-Version": stripe.api_version,
            "User-Agent": USER_AGENT,
        }

    def close(self) -> None:
        close = getattr(self._http, "close", None)
        if close:
            close()

    def now(self) -> int:
        return int(self._clock())

    def get(self, path: str, params: Sequence[tuple[str, str | int]], what: str) -> tuple[Any, int]:
        """(parsed JSON body, server time of the answer) for GET path?params, after retries."""
        url = f"{self._base}{path}?{urlencode(params)}" if params else f"{self._base}{path}"
        parsed: list[Any] = []

        def accept(outcome: Outcome) -> Outcome | None:
            try:
                parsed.append(orjson.loads(outcome.body))
            except orjson.JSONDecodeError:  # a broken page is a transport failure: retry
                return Outcome(
                    502, outcome.headers, outcome.body, f"answer is not JSON: {outcome.body[:80]!r}"
                )
            return None

        final = call_with_retries(
            lambda: self._attempt(url, path),
            self._policy,
            sleep=self._sleep,
            jitter=self._jitter,
            accept=accept,
        )
        out = final.outcome
        if out.ok and parsed:
            return parsed[-1], self._server_time(out.headers)
        problem = out.problem
        if final.gave_up:
            problem += f" (gave up after {final.attempts} attempts)"
        raise _classified(self._error(out.status, out.headers, problem, what), out.body)

    def _attempt(self, url: str, path: str) -> Outcome:
        if self._pacer is not None:
            self._pacer.wait(endpoint(path))
        try:
            body, status, rheaders = self._http.request_with_retries(
                "get", url, self._headers, max_network_retries=0
            )
        except stripe.APIConnectionError as exc:
            headers = {} if exc.should_retry else {"stripe-should-retry": "false"}
            return Outcome(None, headers, b"", self._scrub(str(exc.user_message or exc)))
        headers = {k.lower(): v for k, v in rheaders.items()}
        raw = body if isinstance(body, bytes) else str(body).encode()
        # An answer's words are read only when it failed: parsing a good page here too
        # parsed every page twice (py-spy: the largest cost of a paced extraction).
        problem = "" if 200 <= status < 300 else self._error_message(raw)
        return Outcome(status, headers, raw, problem)

    def _error(self, status: int | None, headers: Mapping[str, str], problem: str, what: str):
        # Everything the error will say passes the scrub: the server's words and its headers.
        problem = self._scrub(problem)
        request_id = self._scrub(headers["request-id"]) if headers.get("request-id") else None
        if status is None:
            return GatewayConnectionError(self._label, what, problem, request_id=request_id)
        cls = error_for_status(status) if status >= 300 else GatewayServerError
        return cls(self._label, what, problem, status=status, request_id=request_id)

    def _error_message(self, body: bytes) -> str:
        try:
            doc = orjson.loads(body)
            message = doc["error"].get("message") or doc["error"].get("type") or "no message"
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            message = body[:200].decode("utf-8", "replace") or "empty answer"
        return self._scrub(str(message))

    def _scrub(self, text: str) -> str:
        return redact(text, self._key)

    def _server_time(self, headers: Mapping[str, str]) -> int:
        return server_time(headers, self._clock)


def endpoint(path: str) -> str:
    """The endpoint a request counts against, as Stripe limits them: a list (`/v1/charges`)
    and a retrieve of one object (`/v1/charges/{id}`, sub-lists of it too) are two."""
    segments = path.strip("/").split("/")
    return "/" + "/".join(segments[:2]) + ("/{id}" if len(segments) > 2 else "")


def stripe_verdict(status: int | None, headers: Mapping[str, str]) -> bool | None:
    """Stripe-Should-Retry, when Stripe sends it, overrides the default rule either way."""
    should = headers.get("stripe-should-retry")
    return {"true": True, "false": False}.get(should) if should else None


STRIPE_SIGNALS = RetrySignals(verdict=stripe_verdict)

UNRECOGNIZED_URL = "Unrecognized request URL"  # Stripe's 404 for a path it does not offer


def _classified(error: Any, body: bytes) -> Any:
    """The error with Stripe's error code (`resource_missing`, ...); a 404 for the path
    itself (no code, `Unrecognized request URL`) as unsupported, not as a missing object."""
    try:
        code = orjson.loads(body)["error"].get("code")
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        code = None
    error.code = code if isinstance(code, str) else None
    if error.status == 404 and error.code is None and UNRECOGNIZED_URL in error.message:
        return error.as_unsupported()
    return error
