"""`KitApp`: the raw ASGI app every gateway sandbox runs on.

Per request, in this order: read the body; number the request (`request_id_for`); count it in
`requests_by_path`; apply the fault plan (delay, rate limits, fail_first, every-Nth 429 and
500) BEFORE the gateway sees it; `authenticate(request)` (a Response is the refusal); replay
or save by idempotency key when the gateway names its header; `handle(request)`. Every
answer gets `base_headers(request)`. The gateway's own words for errors come from its `Wire`.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol
from urllib.parse import parse_qsl

from sandbox.kit.faults import FaultPlan, RateLimiter
from sandbox.kit.http import Refusal, Request, Response
from sandbox.kit.idempotency import IdempotencyKeys, IdempotencyMismatch, SavedAnswer
from sandbox.kit.pages import PageCache


class Wire(Protocol):
    """A gateway's error shapes."""

    def rate_limited(self, retry_after: int) -> Response: ...

    def server_error(self, request: Request) -> Response: ...

    def not_found(self, request: Request) -> Response: ...


class KitApp:
    # The header carrying an idempotency key (lower case), None: the gateway has none.
    idempotency_header: str | None = None
    idempotent_methods = frozenset({"POST", "DELETE", "PUT", "PATCH"})

    def __init__(
        self,
        wire: Wire,
        faults: FaultPlan | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.wire = wire
        self.faults = faults or FaultPlan()
        self.requests_by_path: Counter[str] = Counter()
        self.idempotency = IdempotencyKeys()
        self.pages = PageCache()
        self.limiter = RateLimiter(clock)
        self._numbers = itertools.count(1)

    # --- what a gateway overrides ---
    def request_id_for(self, number: int) -> str:
        return f"req_{number:011d}"

    def base_headers(self, request: Request) -> list[tuple[str, str]]:
        return []

    def rate_key(self, request: Request) -> str:
        """What the per-path rate limit counts by (the gateway's notion of an endpoint)."""
        return request.path

    def authenticate(self, request: Request) -> Response | None:
        return None

    def idempotency_scope(self, request: Request) -> str:
        """Keys are per credential at most gateways: the scope a key lives in."""
        return request.headers.get("authorization", "")

    def idempotency_mismatch(self, request: Request, key: str) -> Response:
        return Response(400, b'{"error":"idempotency key reused with another request"}')

    def replayed(self, response: Response, saved: SavedAnswer) -> Response:
        return response

    def handle(self, request: Request) -> Response:
        return self.wire.not_found(request)

    # --- the plumbing ---
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                pass
            return
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        request = self.request_from(scope, body)
        response = await self.answer(request)
        headers = [(b"content-type", response.content_type.encode())]
        headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    def request_from(self, scope, body: bytes) -> Request:
        number = next(self._numbers)
        raw = scope.get("query_string", b"")
        return Request(
            method=scope["method"],
            path=scope["path"],
            query=parse_qsl(raw.decode("latin-1"), keep_blank_values=True),
            headers={k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
            body=body,
            request_id=self.request_id_for(number),
            number=number,
            query_string=raw,
        )

    async def answer(self, request: Request) -> Response:
        self.requests_by_path[request.path] += 1
        base = self.base_headers(request)
        plan = self.faults
        if plan.delay_seconds:
            await asyncio.sleep(plan.delay_seconds)
        try:
            response = self._through_faults(request, plan)
        except Refusal as refusal:
            response = refusal.response
        return response.with_headers(*base) if base else response

    def _through_faults(self, request: Request, plan: FaultPlan) -> Response:
        wait = self.limiter.admit(plan.rate_limits, self.rate_key(request))
        if wait is not None:
            return self.wire.rate_limited(wait)
        fault = plan.fault_for(request.path)
        if fault == "rate_limit":
            return self.wire.rate_limited(plan.retry_after_seconds)
        if fault == "server_error":
            return self.wire.server_error(request)
        refusal = self.authenticate(request)
        if refusal is not None:
            return refusal
        key = self.idempotency_header and request.headers.get(self.idempotency_header)
        if key and request.method in self.idempotent_methods:
            return self._idempotent(request, key)
        return self.handle(request)

    def _idempotent(self, request: Request, key: str) -> Response:
        fingerprint = self.idempotency.fingerprint(request.method, request.path, request.body)
        scope = self.idempotency_scope(request)
        try:
            saved = self.idempotency.lookup(scope, key, fingerprint)
        except IdempotencyMismatch:
            return self.idempotency_mismatch(request, key)
        if saved is not None:
            return self.replayed(saved.response, saved)
        try:
            response = self.handle(request)
        except Refusal as refusal:
            response = refusal.response
        self.idempotency.save(scope, key, SavedAnswer(fingerprint, response, request.request_id))
        return response
