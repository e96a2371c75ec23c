"""The Braintree gateway's XML API over one account's store: Basic auth with the public and
private key, `X-ApiVersion`, `/merchants/<merchant_id>/...` paths, searches in two steps
(`advanced_search_ids`, then `advanced_search` per batch of ids), dispute pages, the catalogue,
and Braintree's error answers (the SDK maps them: 401 AuthenticationError, 403
AuthorizationError, 404 NotFoundError, 426 UpgradeRequiredError, 429 TooManyRequestsError, 500
ServerError, 503 ServiceUnavailableError; 422 is an `<api-error-response>` result).

`handle(Request) -> Response` is the gateway's own part; `BraintreeApp` is the ASGI shell
(faults, auth, counting) until it is mounted on the shared sandbox kit.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qsl

from sandbox.braintree import search
from sandbox.braintree.faults import FaultPlan, malformed_xml
from sandbox.braintree.store import KINDS, BraintreeStore

PUBLIC_KEY = "ledgerdesk_public"
PRIVATE_KEY = "ledgerdesk_private"
PAGE_SIZE = 50  # ids per advanced_search call, as the gateway tells the SDK
TRANSACTION_CAP = 20_000  # a search returns at most this many transaction ids
OTHER_CAP = 10_000  # ... and this many of anything else
MIN_API_VERSION = 4
XML = "application/xml; charset=utf-8"
SEARCHED = ("transactions", "customers", "subscriptions")
COLLECTION_TAG = {
    "transactions": ("credit-card-transactions", "transaction"),
    "customers": ("customers", "customer"),
    "subscriptions": ("subscriptions", "subscription"),
}
LISTS = {"plans": ("plans", "plan"), "add_ons": ("add-ons", "add-on"),
         "discounts": ("discounts", "discount")}  # fmt: skip


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    request_id: str


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = XML
    headers: list[tuple[str, str]] = field(default_factory=list)


def api_error(message: str) -> Response:
    """422 with Braintree's `<api-error-response>` (an error result, not an exception)."""
    text = message.replace("&", "&amp;").replace("<", "&lt;")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<api-error-response>\n  <errors>\n'
        '    <errors type="array"/>\n  </errors>\n  <params>\n  </params>\n'
        f"  <message>{text}</message>\n</api-error-response>\n"
    )
    return Response(422, body.encode())


class BraintreeWire:
    """Braintree's error answers, as recorded (401 plain text with its realm, empty bodies)."""

    @staticmethod
    def unauthenticated() -> Response:
        return Response(
            401,
            b"HTTP Basic: Access denied.\n",
            "text/html; charset=utf-8",
            [("WWW-Authenticate", 'Basic realm="Braintree API"')],
        )

    @staticmethod
    def forbidden() -> Response:
        return Response(
            403, b'<?xml version="1.0" encoding="UTF-8"?>\n<errors>Unauthorized</errors>'
        )

    @staticmethod
    def not_found(request: Request | None = None) -> Response:
        return Response(404, b" ")

    @staticmethod
    def upgrade_required() -> Response:
        return Response(426, b" ")

    @staticmethod
    def rate_limited(retry_after: int | None = None) -> Response:
        return Response(429, b" ")  # Braintree sends no Retry-After

    @staticmethod
    def server_error(request: Request | None = None) -> Response:
        return Response(500, b" ")

    @staticmethod
    def unavailable(request: Request | None = None) -> Response:
        return Response(503, b" ")


class BraintreeHandler:
    """The gateway's own logic: authentication and routing over a store."""

    wire = BraintreeWire

    def __init__(
        self,
        store: BraintreeStore,
        faults: FaultPlan | None = None,
        *,
        public_key: str = PUBLIC_KEY,
        private_key: str = PRIVATE_KEY,
        transaction_cap: int = TRANSACTION_CAP,
        other_cap: int = OTHER_CAP,
    ) -> None:
        self.store = store
        self.faults = faults or FaultPlan()
        self.keys = {public_key: private_key}
        self.transaction_cap = transaction_cap
        self.other_cap = other_cap

    def cap(self, kind: str) -> int:
        return self.transaction_cap if kind == "transactions" else self.other_cap

    def authenticate(self, request: Request) -> Response | None:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Basic "):
            return self.wire.unauthenticated()
        try:
            public, _, private = base64.b64decode(auth[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return self.wire.unauthenticated()
        if self.keys.get(public) != private:
            return self.wire.unauthenticated()
        version = request.headers.get("x-apiversion", "")
        if not version.isdigit() or int(version) < MIN_API_VERSION:
            return self.wire.upgrade_required()
        parts = request.path.strip("/").split("/")
        if len(parts) < 3 or parts[0] != "merchants":
            return self.wire.not_found(request)
        if parts[1] != self.store.merchant_id:
            return self.wire.forbidden()
        return None

    def handle(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")[2:]
        kind = parts[0]
        try:
            if request.method == "POST" and len(parts) == 2 and kind in SEARCHED:
                if parts[1] == "advanced_search_ids":
                    return self._search_ids(kind, request.body)
                if parts[1] == "advanced_search":
                    return self._fetch(kind, request.body)
            if request.method == "POST" and parts == ["disputes", "advanced_search"]:
                page = dict(request.query).get("page", "1")
                return self._disputes(request.body, int(page) if page.isdigit() else 1)
            if request.method == "GET" and len(parts) == 1 and kind in LISTS:
                return self._list(kind)
            if request.method == "GET" and len(parts) == 2 and kind in KINDS:
                rec = self.store.records[kind].get(parts[1])
                if rec is None:
                    return self.wire.not_found(request)
                return Response(200, b'<?xml version="1.0" encoding="UTF-8"?>\n' + self._xml(rec))
        except search.SearchError as exc:
            return api_error(str(exc))
        return self.wire.not_found(request)

    def _xml(self, rec) -> bytes:
        xml = rec.xml()
        variant = self.faults.malformed.get(rec.el.findtext("id") or "")
        return malformed_xml(xml, variant) if variant else xml

    def _search_ids(self, kind: str, body: bytes) -> Response:
        criteria = search.parse(body, kind)
        found = search.run(self.store.records[kind].values(), criteria)[: self.cap(kind)]
        items = "".join(f"<item>{rec.el.findtext('id')}</item>" for rec in found)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<search-results>\n'
            f'  <page-size type="integer">{PAGE_SIZE}</page-size>\n'
            f'  <ids type="array">{items}</ids>\n</search-results>\n'
        )
        return Response(200, xml.encode())

    def _fetch(self, kind: str, body: bytes) -> Response:
        criteria = search.parse(body, kind)
        if criteria.ids is None:
            return api_error("ids are required")
        records = self.store.records[kind]
        found = [records[i] for i in criteria.ids if i in records and criteria.match(records[i])]
        outer, _ = COLLECTION_TAG[kind]
        return Response(200, self._collection(outer, found, 1, len(found)))

    def _collection(self, outer: str, found, page: int, total: int) -> bytes:
        head = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<{outer} type="collection">\n'
            f'  <current-page-number type="integer">{page}</current-page-number>\n'
            f'  <page-size type="integer">{PAGE_SIZE}</page-size>\n'
            f'  <total-items type="integer">{total}</total-items>\n'
        ).encode()
        return head + b"".join(self._xml(rec) for rec in found) + f"</{outer}>\n".encode()

    def _disputes(self, body: bytes, page: int) -> Response:
        criteria = search.parse(body, "disputes")
        found = search.run(self.store.records["disputes"].values(), criteria)[: self.other_cap]
        start = (max(page, 1) - 1) * PAGE_SIZE
        chunk = found[start : start + PAGE_SIZE]
        return Response(200, self._collection("disputes", chunk, page, len(found)))

    def _list(self, kind: str) -> Response:
        outer, _ = LISTS[kind]
        found = sorted(self.store.records[kind].values(), key=lambda r: r.el.findtext("id"))
        head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{outer} type="array">\n'.encode()
        return Response(
            200, head + b"".join(self._xml(r) for r in found) + f"</{outer}>\n".encode()
        )


class BraintreeApp:
    """Raw ASGI: numbers and counts requests, applies the fault plan, authenticates, handles."""

    def __init__(self, handler: BraintreeHandler) -> None:
        self.handler = handler
        self.requests_by_path: Counter[str] = Counter()
        self._numbers = itertools.count(1)

    @property
    def faults(self) -> FaultPlan:
        return self.handler.faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self.handler.faults = plan

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request = Request(
            scope["method"],
            scope["path"],
            parse_qsl(scope.get("query_string", b"").decode()),
            headers,
            body,
            f"req_{next(self._numbers):08d}",
        )
        response = await self.answer(request)
        out = [
            (b"content-type", response.content_type.encode()),
            (b"date", formatdate(usegmt=True).encode()),
            *((k.lower().encode(), v.encode()) for k, v in response.headers),
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": out})
        await send({"type": "http.response.body", "body": response.body})

    async def answer(self, request: Request) -> Response:
        self.requests_by_path[request.path] += 1
        plan = self.handler.faults
        if plan.delay_seconds:
            await asyncio.sleep(plan.delay_seconds)
        fault = plan.fault_for(request.path)
        wire = self.handler.wire
        if fault == "rate_limit":
            return wire.rate_limited()
        if fault == "server_error":
            return wire.server_error(request)
        if fault == "unavailable":
            return wire.unavailable(request)
        refused = self.handler.authenticate(request)
        if refused is not None:
            return refused
        return self.handler.handle(request)
