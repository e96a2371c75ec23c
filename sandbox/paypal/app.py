"""The PayPal sandbox as a raw ASGI app: numbers requests, counts them per path, applies the
fault plan before the handler (PayPal's 429 RATE_LIMIT_REACHED, 500 INTERNAL_SERVER_ERROR),
then authenticates and routes. Shaped like the shared sandbox kit's `KitApp` (authenticate,
handle) so it moves onto the kit without changing the handler."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from email.utils import formatdate
from urllib.parse import parse_qsl

from sandbox.paypal import wire
from sandbox.paypal.handlers import PayPalHandler
from sandbox.stripe.faults import FaultPlan


class PayPalApp:
    def __init__(self, handler: PayPalHandler, faults: FaultPlan | None = None) -> None:
        self.handler = handler
        self.faults = faults or FaultPlan()
        self.requests_by_path: Counter[str] = Counter()
        self._numbers = itertools.count(1)

    @property
    def store(self):
        return self.handler.store

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = wire.Request(
            scope["method"],
            scope["path"],
            parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True),
            {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
            body,
            f"f{next(self._numbers):012x}",
        )
        response = await self.answer(request)
        headers = [
            (b"content-type", response.content_type.encode()),
            (b"paypal-debug-id", request.request_id.encode()),
            (b"date", formatdate(self.store.now(), usegmt=True).encode()),
            *((k.encode(), v.encode()) for k, v in response.headers),
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    async def answer(self, request: wire.Request) -> wire.Response:
        self.requests_by_path[request.path] += 1
        if self.faults.delay_seconds:
            await asyncio.sleep(self.faults.delay_seconds)
        fault = self.faults.fault_for(request.path)
        if fault == "rate_limit":
            return wire.rate_limited(self.faults.retry_after_seconds).response(request.request_id)
        if fault == "server_error":
            return wire.server_error().response(request.request_id)
        refusal = self.handler.authenticate(request)
        if refusal is not None:
            return refusal
        return self.handler.handle(request)
