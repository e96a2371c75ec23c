"""The Braintree gateway's XML API over one account's store: Basic auth with the public and
private key, `X-ApiVersion`, `/merchants/<merchant_id>/...` paths, searches in two steps
(`advanced_search_ids`, then `advanced_search` per batch of ids), dispute pages, the catalogue,
and Braintree's error answers (the SDK maps them: 401 AuthenticationError, 403
AuthorizationError, 404 NotFoundError, 426 UpgradeRequiredError, 429 TooManyRequestsError, 500
ServerError, 503 ServiceUnavailableError; 422 is an `<api-error-response>` result).

`BraintreeHandler` is the gateway's own part (authentication, routes, Braintree's words);
`BraintreeApp` mounts it on the shared sandbox kit (request numbering, counting, the fault
plan before the gateway sees a request, rate limits).
"""

from __future__ import annotations

import base64

from sandbox.braintree import search
from sandbox.braintree.faults import FaultPlan, malformed_xml
from sandbox.braintree.store import KINDS, BraintreeStore
from sandbox.kit.app import KitApp
from sandbox.kit.http import Request, Response

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


def xml(status: int, body: bytes) -> Response:
    return Response(status, body, XML)


def api_error(message: str) -> Response:
    """422 with Braintree's `<api-error-response>` (an error result, not an exception)."""
    text = message.replace("&", "&amp;").replace("<", "&lt;")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<api-error-response>\n  <errors>\n'
        '    <errors type="array"/>\n  </errors>\n  <params>\n  </params>\n'
        f"  <message>{text}</message>\n</api-error-response>\n"
    )
    return xml(422, body.encode())


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
        return xml(403, b'<?xml version="1.0" encoding="UTF-8"?>\n<errors>Unauthorized</errors>')

    @staticmethod
    def not_found(request: Request | None = None) -> Response:
        return xml(404, b" ")

    @staticmethod
    def upgrade_required() -> Response:
        return xml(426, b" ")

    @staticmethod
    def rate_limited(retry_after: int | None = None) -> Response:
        return xml(429, b" ")  # Braintree sends no Retry-After

    @staticmethod
    def server_error(request: Request | None = None) -> Response:
        """500, and 503 for every other request (Braintree answers both under load)."""
        return xml(503 if request is not None and request.number % 2 == 0 else 500, b" ")


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
        dispute_page_size: int = PAGE_SIZE,
    ) -> None:
        self.store = store
        self.dispute_page_size = dispute_page_size
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
                return xml(200, b'<?xml version="1.0" encoding="UTF-8"?>\n' + self._xml(rec))
        except search.SearchError as exc:
            return api_error(str(exc))
        return self.wire.not_found(request)

    def _xml(self, rec) -> bytes:
        body = rec.xml()
        variant = self.faults.malformed.get(rec.el.findtext("id") or "")
        return malformed_xml(body, variant) if variant else body

    def _search_ids(self, kind: str, body: bytes) -> Response:
        criteria = search.parse(body, kind)
        found = search.run(self.store.records[kind].values(), criteria)[: self.cap(kind)]
        items = "".join(f"<item>{rec.el.findtext('id')}</item>" for rec in found)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<search-results>\n'
            f'  <page-size type="integer">{PAGE_SIZE}</page-size>\n'
            f'  <ids type="array">{items}</ids>\n</search-results>\n'
        )
        return xml(200, body.encode())

    def _fetch(self, kind: str, body: bytes) -> Response:
        criteria = search.parse(body, kind)
        if criteria.ids is None:
            return api_error("ids are required")
        records = self.store.records[kind]
        found = [records[i] for i in criteria.ids if i in records and criteria.match(records[i])]
        outer, _ = COLLECTION_TAG[kind]
        return xml(200, self._collection(outer, found, 1, len(found)))

    def _collection(self, outer: str, found, page: int, total: int, size=PAGE_SIZE) -> bytes:
        head = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<{outer} type="collection">\n'
            f'  <current-page-number type="integer">{page}</current-page-number>\n'
            f'  <page-size type="integer">{size}</page-size>\n'
            f'  <total-items type="integer">{total}</total-items>\n'
        ).encode()
        return head + b"".join(self._xml(rec) for rec in found) + f"</{outer}>\n".encode()

    def _disputes(self, body: bytes, page: int) -> Response:
        criteria = search.parse(body, "disputes")
        found = search.run(self.store.records["disputes"].values(), criteria)[: self.other_cap]
        size = self.dispute_page_size
        start = (max(page, 1) - 1) * size
        chunk = found[start : start + size]
        return xml(200, self._collection("disputes", chunk, page, len(found), size))

    def _list(self, kind: str) -> Response:
        outer, _ = LISTS[kind]
        found = sorted(self.store.records[kind].values(), key=lambda r: r.el.findtext("id"))
        head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{outer} type="array">\n'.encode()
        return xml(200, head + b"".join(self._xml(r) for r in found) + f"</{outer}>\n".encode())


class BraintreeApp(KitApp):
    """The handler on the kit: the kit's plan is the handler's (malformed objects included)."""

    def __init__(self, handler: BraintreeHandler) -> None:
        self.handler = handler  # first: the kit sets `faults`, which is the handler's
        super().__init__(BraintreeWire(), handler.faults)

    @property
    def faults(self) -> FaultPlan:
        return self.handler.faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self.handler.faults = plan

    def request_id_for(self, number: int) -> str:
        return f"{number:016x}"

    def authenticate(self, request: Request) -> Response | None:
        return self.handler.authenticate(request)

    def handle(self, request: Request) -> Response:
        return self.handler.handle(request)
