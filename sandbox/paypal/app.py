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
from sandbox.paypal.faults import FaultPlan
from sandbox.paypal.handlers import PayPalHandler


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


try:  # the shared sandbox kit, once it has landed (sandbox/kit/)
    from sandbox.kit.app import KitApp
    from sandbox.kit.http import Response as KitResponse
except ImportError:  # pragma: no cover - before the kit lands
    KitApp = None


class PayPalWire:
    """PayPal's error shapes for the kit."""

    def rate_limited(self, retry_after: int):
        return _kit(wire.rate_limited(retry_after).response(_debug_id()))

    def server_error(self, request):
        return _kit(wire.server_error().response(request.request_id))

    def not_found(self, request):
        return _kit(wire.not_found(request.path).response(request.request_id))


def _debug_id() -> str:
    return f"f{next(_DEBUG):012x}"


_DEBUG = itertools.count(1)


def _kit(response: wire.Response):
    return KitResponse(response.status, response.body, response.content_type, response.headers)


if KitApp is not None:

    class PayPalKitApp(KitApp):
        """The PayPal handler mounted on the shared sandbox kit (faults, rate limits, request
        numbering and counting are the kit's)."""

        def __init__(self, handler: PayPalHandler, faults=None) -> None:
            super().__init__(PayPalWire(), faults)
            self.handler = handler

        @property
        def store(self):
            return self.handler.store

        def request_id_for(self, number: int) -> str:
            return f"f{number:012x}"

        def base_headers(self, request):
            return [
                ("paypal-debug-id", request.request_id),
                ("date", formatdate(self.store.now(), usegmt=True)),
            ]

        def authenticate(self, request):
            refusal = self.handler.authenticate(request)
            return _kit(refusal) if refusal is not None else None

        def handle(self, request):
            return _kit(self.handler.handle(request))
