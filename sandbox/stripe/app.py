"""The Stripe sandbox on the kit (`sandbox.kit`): Stripe's auth, headers, errors and routes.

The kit does the plumbing (body, request numbers, faults before auth, idempotency, the page
cache); this module says what is Stripe's: `req_sbx...` request ids, the `Request-Id` and
`Stripe-Version` headers, Bearer/Basic secret keys with restricted-key permissions, the
`Idempotency-Key` header and its replay headers, Stripe's error bodies (`StripeWire`), and
the routes. The kit's page cache is left unused: Stripe's pages join blobs serialized once.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import orjson

from sandbox.kit.app import KitApp
from sandbox.kit.http import Request as KitRequest
from sandbox.kit.http import Response
from sandbox.kit.idempotency import SavedAnswer
from sandbox.stripe import expand, reads, versions, writes
from sandbox.stripe.entities import ENTITIES, LIST_PARAMS, LISTED, RETRIEVE_PARAMS
from sandbox.stripe.errors import (
    StripeError,
    api_error,
    idempotency_mismatch,
    invalid_key,
    no_key,
    no_such,
    permission_denied,
    rate_limited,
    unrecognized_url,
)
from sandbox.stripe.faults import FaultPlan, malformed_blob
from sandbox.stripe.form import decode_form
from sandbox.stripe.store import API_VERSION, StripeStore
from sandbox.stripe.table import Page

DEFAULT_API_KEY = "sk_test_ledgerdesk_sandbox"


@dataclass(frozen=True)
class Request:
    """A request as Stripe's routes read it (path segments, decoded form parameters)."""

    method: str
    path: str
    segments: list[str]
    params: dict
    body: bytes
    api_key: str
    request_id: str
    idempotency_key: str | None


def as_response(error: StripeError, request_id: str) -> Response:
    headers = [(k.decode(), v.decode()) for k, v in error.headers]
    return Response(error.status, error.body(request_id), headers=headers)


class StripeWire:
    """Stripe's answers to the kit's faults (its 429 carries `Retry-After`, and
    `Stripe-Should-Retry` only when the plan asks for it)."""

    def __init__(self, app: StripeApp) -> None:
        self.app = app

    def rate_limited(self, retry_after: int) -> Response:
        should_retry = getattr(self.app.faults, "rate_limit_should_retry", None)
        return as_response(rate_limited(retry_after, should_retry), "")

    def server_error(self, request: KitRequest) -> Response:
        return as_response(api_error(), request.request_id)

    def not_found(self, request: KitRequest) -> Response:
        return as_response(unrecognized_url(request.method, request.path), request.request_id)


class StripeApp(KitApp):
    idempotency_header = "idempotency-key"
    idempotent_methods = frozenset({"POST", "DELETE"})

    def __init__(
        self,
        store: StripeStore,
        faults: FaultPlan | None = None,
        api_keys: Mapping[str, frozenset[str] | set[str] | None] | None = None,
        api_version: str = API_VERSION,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(StripeWire(self), faults or FaultPlan(), clock=clock)
        self.store = store
        self.api_version = api_version
        self._old = versions.older(api_version, API_VERSION)
        self._relations: versions.Relations | None = None
        self._downgraded: dict[tuple[str, str], tuple[bytes, bytes]] = {}
        self._seen_changes = store.changes
        self.api_keys = dict(api_keys) if api_keys is not None else {DEFAULT_API_KEY: None}

    # --- the kit's hooks ---
    def request_id_for(self, number: int) -> str:
        return f"req_sbx{number:011d}"

    def base_headers(self, request: KitRequest) -> list[tuple[str, str]]:
        out = [
            ("request-id", request.request_id),
            ("stripe-version", self._version_header(request)),
        ]
        key = request.headers.get("idempotency-key")
        if key and request.method in self.idempotent_methods:
            out.append(("idempotency-key", key))
        return out

    def rate_key(self, request: KitRequest) -> str:
        """Stripe limits per endpoint: a list and a retrieve of one resource are two."""
        segments = request.path.strip("/").split("/")
        return (
            request.method + " /" + "/".join(segments[:2]) + ("/{id}" if len(segments) > 2 else "")
        )

    def authenticate(self, request: KitRequest) -> Response | None:
        try:
            api_key = self._authenticate(request.headers.get("authorization"))
            self._authorize(api_key, request.method, request.path.strip("/").split("/"))
        except StripeError as error:
            return as_response(error, request.request_id)
        return None

    def idempotency_scope(self, request: KitRequest) -> str:
        return self._authenticate(request.headers.get("authorization"))

    def idempotency_mismatch(self, request: KitRequest, key: str) -> Response:
        return as_response(idempotency_mismatch(key), request.request_id)

    def replayed(self, response: Response, saved: SavedAnswer) -> Response:
        return response.with_headers(
            ("idempotent-replayed", "true"), ("original-request", saved.request_id)
        )

    def handle(self, request: KitRequest) -> Response:
        try:
            params = decode_form(request.body if request.method == "POST" else request.query_string)
            segments = request.path.strip("/").split("/")
            api_key = self._authenticate(request.headers.get("authorization"))
            idem_key = request.headers.get("idempotency-key")
            inner = Request(
                request.method, request.path, segments, params, request.body, api_key,
                request.request_id, idem_key,
            )  # fmt: skip
            # No page cache: Stripe's pages join blobs serialized once, which is as fast.
            return Response(200, self._route(inner))
        except StripeError as error:
            return as_response(error, request.request_id)

    def _version_header(self, request: KitRequest) -> str:
        # An older-version sandbox answers in its own version whatever the client asks.
        return self.api_version if self._old else request.headers.get("stripe-version", API_VERSION)

    def _authenticate(self, authorization: str | None) -> str:
        if not authorization:
            raise no_key()
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() == "basic":
            try:
                credential = base64.b64decode(credential).decode().partition(":")[0]
            except (ValueError, UnicodeDecodeError):
                credential = ""
        elif scheme.lower() != "bearer":
            raise no_key()
        credential = credential.strip()
        if not credential:
            raise no_key()
        if credential not in self.api_keys:
            raise invalid_key(credential)
        return credential

    def _authorize(self, api_key: str, method: str, segments: list[str]) -> None:
        allowed = self.api_keys[api_key]
        if allowed is None or len(segments) < 2:
            return
        entity = segments[1]
        if entity in allowed:
            return
        object_name = ENTITIES[entity].object if entity in ENTITIES else entity
        access = "read" if method == "GET" else "write"
        raise permission_denied(api_key, self.store.account_id, f"rak_{object_name}_{access}")

    def _route(self, request: Request) -> bytes:
        segments, method = request.segments, request.method
        if len(segments) >= 2 and segments[0] == "v1" and method == "GET":
            body = self._read(segments, request.params, request.path)
            if body is not None:
                return body
        body = writes.dispatch(self.store, request)
        if body is None:
            raise unrecognized_url(method, request.path)
        return body

    def _read(self, segments: list[str], params: dict, path: str) -> bytes | None:
        entity, n = segments[1], len(segments)
        if self._old and entity == "invoice_payments":
            return None  # InvoicePayment objects arrived with 2025-03-31.basil
        if n == 2 and entity == "subscription_items":
            reads.check_params(params, LIST_PARAMS["subscription_items"])
            page = reads.list_subscription_items(self.store, params)
            return self._page(page, path, "subscription_items", params)
        if n == 3 and entity == "subscription_items":
            return self._retrieve_child(
                "subscription_items", "subscription_item", segments[2], params
            )
        if n == 2 and entity in LISTED:
            reads.check_params(params, LIST_PARAMS[entity])
            hidden = self.faults.hidden_events() if entity == "events" else None
            page = reads.list_entity(self.store, entity, params, hidden)
            return self._page(page, path, entity, params)
        if n == 3 and entity in LISTED:
            if entity == "events" and segments[2] in self.faults.hidden_events():
                raise no_such("event", segments[2])
            return self._retrieve(entity, segments[2], params)
        if n == 4 and entity in ("invoices", "credit_notes") and segments[3] == "lines":
            child = "invoice_lines" if entity == "invoices" else "credit_note_lines"
            reads.check_params(params, LIST_PARAMS[child])
            page = reads.list_children(self.store, entity, segments[2], params)
            return self._page(page, path, child, params)
        if n == 4 and entity == "charges" and segments[3] == "refunds":
            # The embedded `refunds` list's url (2020 shapes, expand[]=refunds) pages here.
            reads.check_params(params, LIST_PARAMS["charge_refunds"])
            if self.store.retrieve("charges", segments[2]) is None:
                raise no_such("charge", segments[2])
            page = reads.list_entity(self.store, "refunds", {**params, "charge": segments[2]})
            return self._page(page, path, "refunds", params)
        if n >= 4 and entity == "customers" and segments[3] == "tax_ids":
            if self.store.retrieve("customers", segments[2]) is None:
                raise no_such("customer", segments[2])
            if n == 4:
                reads.check_params(params, LIST_PARAMS["tax_ids"])
                params = {**params, "customer": segments[2]}
                page = reads.list_entity(self.store, "tax_ids", params)
                return self._page(page, path, "tax_ids", params)
            if n == 5:
                return self._retrieve("tax_ids", segments[4], params)
        return None

    def _retrieve(self, entity: str, object_id: str, params: dict) -> bytes:
        reads.check_params(params, RETRIEVE_PARAMS)
        blob = self.store.retrieve(entity, object_id)
        if blob is None:
            if entity == "customers" and self.store.is_deleted(entity, object_id):
                return orjson.dumps({"id": object_id, "object": "customer", "deleted": True})
            raise no_such(ENTITIES[entity].object, object_id)
        requested = expand.paths(params)
        if requested:
            blob = expand.expand_blob(self.store, entity, blob, requested)
        blob = self._in_version(entity, object_id, blob)
        variant = self.faults.malformed.get(object_id)
        return blob if variant is None else malformed_blob(blob, variant)

    def _retrieve_child(self, child: str, object_name: str, object_id: str, params: dict) -> bytes:
        reads.check_params(params, RETRIEVE_PARAMS)
        blob = self.store.children[child].get(object_id)
        if blob is None:
            raise no_such(object_name, object_id)
        return self._in_version(child, object_id, blob)

    def _in_version(self, entity: str, object_id: str, blob: bytes) -> bytes:
        """`blob` in the sandbox's API version (cached per object until it changes)."""
        if not self._old:
            return blob
        if self._seen_changes != self.store.changes:  # a write may change any old shape
            self._seen_changes = self.store.changes
            self._relations, self._downgraded = None, {}
        cached = self._downgraded.get((entity, object_id))
        if cached is not None and cached[0] is blob:
            return cached[1]
        if self._relations is None:
            self._relations = versions.Relations(_all_objects(self.store))
        obj = orjson.loads(blob)
        if entity == "events":
            old = self._old_event(obj, self._relations)
        else:
            related = self._relations.of(entity, obj)
            old = versions.downgrade(entity, obj, self.api_version, related)
        out = orjson.dumps(old)
        self._downgraded[(entity, object_id)] = (blob, out)
        return out

    def _old_event(self, event: dict, relations: versions.Relations) -> dict:
        """An event newer than this account's version, as the account saw it then."""
        src = event.get("api_version") or API_VERSION
        if not versions.older(self.api_version, src):
            return event
        obj = event["data"]["object"]
        kind = obj.get("object", "")
        related = relations.of(kind, obj)
        old = versions.downgrade(kind, obj, self.api_version, related, from_version=src)
        return {**event, "api_version": self.api_version, "data": {**event["data"], "object": old}}

    def _page(self, page: Page, url: str, entity: str, params: dict) -> bytes:
        blobs = page.blobs
        requested = expand.paths(params)
        if requested:
            paths = expand.for_list(requested)
            blobs = [expand.expand_blob(self.store, entity, b, paths) for b in blobs]
        if self._old:
            blobs = [
                self._in_version(entity, oid, b) for oid, b in zip(page.ids, blobs, strict=True)
            ]
        malformed = self.faults.malformed
        if malformed:
            blobs = [
                malformed_blob(blob, malformed[oid]) if oid in malformed else blob
                for oid, blob in zip(page.ids, blobs, strict=True)
            ]
        return reads.list_body(blobs, page.has_more, url)


def _all_objects(store: StripeStore) -> dict[str, list[dict]]:
    """The objects an older-version answer draws on (`versions.Relations`)."""
    names = ("refunds", "charges", "payment_intents", "invoice_payments")
    return {n: [orjson.loads(b) for b in store.tables[n].blobs] for n in names}
