"""The PayPal sandbox on the shared sandbox kit: the kit numbers and counts requests and applies
the fault plan and rate limits before the handler (PayPal's 429 RATE_LIMIT_REACHED, 500
INTERNAL_SERVER_ERROR from `PayPalWire`); the handler authenticates (OAuth bearer tokens) and
routes."""

from __future__ import annotations

import itertools
from email.utils import formatdate

from sandbox.kit.app import KitApp
from sandbox.kit.http import Request, Response
from sandbox.paypal import wire
from sandbox.paypal.handlers import PayPalHandler

_DEBUG = itertools.count(1)


class PayPalWire:
    """PayPal's error shapes for the kit."""

    def rate_limited(self, retry_after: int) -> Response:
        return wire.rate_limited(retry_after).response(f"r{next(_DEBUG):012x}")

    def server_error(self, request: Request) -> Response:
        return wire.server_error().response(request.request_id)

    def not_found(self, request: Request) -> Response:
        return wire.not_found(request.path).response(request.request_id)


class PayPalApp(KitApp):
    def __init__(self, handler: PayPalHandler, faults=None) -> None:
        super().__init__(PayPalWire(), faults)
        self.handler = handler

    @property
    def store(self):
        return self.handler.store

    def request_id_for(self, number: int) -> str:
        return f"f{number:012x}"  # PayPal's debug ids are short hex strings

    def base_headers(self, request: Request) -> list[tuple[str, str]]:
        return [
            ("paypal-debug-id", request.request_id),
            ("date", formatdate(self.store.now(), usegmt=True)),
        ]

    def authenticate(self, request: Request) -> Response | None:
        return self.handler.authenticate(request)

    def handle(self, request: Request) -> Response:
        return self.handler.handle(request)
