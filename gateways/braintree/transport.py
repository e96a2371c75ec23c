"""Call the Braintree gateway through the official SDK's transport and keep the raw XML.

The SDK builds the request (base URL of the environment, `/merchants/<id>` paths, Basic auth
from the public and private key, `X-ApiVersion`, the XML request body from search criteria)
and maps HTTP codes to its exceptions. Its `http_strategy` is ours (`RawXmlHttp`): it sends
through the SDK's own requests session and hands back the raw body, so the SDK's minidom
parser never runs (STACK.md: 242 transactions/s against lxml's 9,300). Retries live in one
place, `gateways.retry.call_with_retries`, with Braintree's own signals.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import braintree
from braintree.util.http import Http
from lxml import etree

from gateways.braintree import xml
from gateways.errors import GatewayConnectionError, GatewayServerError, error_for_status
from gateways.redact import redact
from gateways.retry import Outcome, RetryPolicy, RetrySignals, call_with_retries
from gateways.server_time import server_time

DEFAULT_API_BASE = "https://api.braintreegateway.com"


class RawXmlHttp(Http):
    """The SDK's Http with the answer kept raw: status, headers and bytes are stashed per
    thread, and the SDK is handed an empty body so that it parses nothing."""

    def http_do(self, http_verb, path, headers, request_body):
        self._thread_local.answer = None
        session = self._get_session()
        verify = (self.environment.ssl_certificate or True) if self.environment.is_ssl else False
        response = session.request(
            http_verb,
            path,
            headers=headers,
            data=request_body,
            verify=verify,
            timeout=self.config.timeout,
        )
        answer = (
            response.status_code,
            {k.lower(): v for k, v in response.headers.items()},
            response.content,
        )
        self._thread_local.answer = answer
        return [response.status_code, ""]

    def take_answer(self) -> tuple[int, dict[str, str], bytes] | None:
        answer = getattr(self._thread_local, "answer", None)
        self._thread_local.answer = None
        return answer


def environment_for(api_base: str) -> braintree.Environment:
    """A braintree.Environment for the account's API base (production, sandbox or local)."""
    parts = urlsplit(api_base)
    secure = parts.scheme == "https"
    port = str(parts.port or (443 if secure else 80))
    cert = braintree.Environment.Production.ssl_certificate if secure else None
    return braintree.Environment("ledgerdesk", parts.hostname, port, "", secure, cert)


def braintree_verdict(status: int | None, headers: Mapping[str, str]) -> bool | None:
    """Braintree's own words: 408 (request timeout), 429, 500, 503 and 504 are worth another
    try; 401, 403, 404, 426 (upgrade required) and 422 (an error result) never are."""
    if status in (408, 429, 500, 502, 503, 504):
        return True
    if status is not None and 400 <= status < 500:
        return False
    return None


BRAINTREE_SIGNALS = RetrySignals(verdict=braintree_verdict)


class BraintreeTransport:
    def __init__(
        self,
        *,
        merchant_id: str,
        public_key: str,
        private_key: str,
        api_base: str,
        account_label: str,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.time,
        timeout: float = 60,
    ) -> None:
        self._label = account_label
        self._secrets = (public_key, private_key)
        self.config = braintree.Configuration(
            environment=environment_for(api_base),
            merchant_id=merchant_id,
            public_key=public_key,
            private_key=private_key,
            http_strategy=RawXmlHttp,
            wrap_http_exceptions=True,
            timeout=timeout,
        )
        self._http: RawXmlHttp = self.config.http_strategy()
        self._policy = policy
        self._sleep = sleep
        self._jitter = jitter
        self._clock = clock

    def close(self) -> None:
        self._http.close()

    def now(self) -> int:
        return int(self._clock())

    def post(self, path: str, params: dict[str, Any] | None, what: str) -> tuple[str, Any, int]:
        """(root tag, parsed body, gateway time) of POST /merchants/<id>/<path>."""
        return self._call("POST", path, params, what)

    def get(self, path: str, what: str) -> tuple[str, Any, int]:
        return self._call("GET", path, None, what)

    def _call(self, verb: str, path: str, params, what: str) -> tuple[str, Any, int]:
        full = f"{self.config.base_merchant_path()}/{path}"
        parsed: list[tuple[str, Any]] = []

        def accept(outcome: Outcome) -> Outcome | None:
            try:
                parsed.append(xml.parse(outcome.body))
            except etree.XMLSyntaxError as exc:  # a broken page is a transport failure
                return Outcome(502, outcome.headers, outcome.body, f"answer is not XML: {exc}")
            if parsed[-1][0] == "api_error_response":
                message = (parsed[-1][1] or {}).get("message") or "error result"
                return Outcome(422, outcome.headers, outcome.body, str(message))
            return None

        final = call_with_retries(
            lambda: self._attempt(verb, full, params),
            self._policy,
            sleep=self._sleep,
            jitter=self._jitter,
            accept=accept,
        )
        out = final.outcome
        if out.ok and parsed:
            tag, body = parsed[-1]
            return tag, body, self._server_time(out.headers)
        problem = self._scrub(out.problem or "no message")
        if final.gave_up:
            problem += f" (gave up after {final.attempts} attempts)"
        what = f"{what} ({verb} {full})"
        if out.status is None:
            raise GatewayConnectionError(self._label, what, problem)
        cls = error_for_status(out.status) if out.status >= 300 else GatewayServerError
        raise cls(self._label, what, problem, status=out.status)

    def _attempt(self, verb: str, full: str, params) -> Outcome:
        try:
            if verb == "POST":
                self._http.post(full, params)
            else:
                self._http.get(full)
            error: Exception | None = None
        except braintree.exceptions.braintree_error.BraintreeError as exc:
            error = exc  # the SDK's mapping of the status (AuthenticationError, ...)
        answer = self._http.take_answer()
        if answer is None:  # no HTTP answer: the SDK wrapped a connection failure
            return Outcome(None, {}, b"", self._scrub(f"{type(error).__name__}: {error}"))
        status, headers, body = answer
        if status == 422:  # an error result, not an exception, in the SDK's words
            return Outcome(200, headers, body)
        problem = type(error).__name__ if error is not None else ""
        text = body[:200].decode("utf-8", "replace").strip()
        return Outcome(status, headers, body, f"{problem}: {text}" if text else problem)

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = redact(text, secret)
        return text

    def _server_time(self, headers: Mapping[str, str]) -> int:
        return server_time(headers, self._clock)
