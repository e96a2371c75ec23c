"""The raw ASGI app: auth, faults, routing, idempotency and Stripe's response headers."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import orjson

from sandbox.stripe import expand, reads, versions, writes
from sandbox.stripe.entities import ENTITIES, LIST_PARAMS, LISTED, RETRIEVE_PARAMS
from sandbox.stripe.errors import (
    StripeError,
    api_error,
    invalid_key,
    no_key,
    no_such,
    permission_denied,
    rate_limited,
    unrecognized_url,
)
from sandbox.stripe.faults import FaultPlan, malformed_blob
from sandbox.stripe.form import decode_form
from sandbox.stripe.idempotency import IdempotencyKeys, SavedAnswer
from sandbox.stripe.store import API_VERSION, StripeStore
from sandbox.stripe.table import Page

DEFAULT_API_KEY = "sk_test_ledgerdesk_sandbox"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    segments: list[str]
    params: dict
    body: bytes
    api_key: str
    request_id: str
    idempotency_key: str | None


class StripeApp:
    def __init__(
        self,
        store: StripeStore,
        faults: FaultPlan | None = None,
        api_keys: Mapping[str, frozenset[str] | set[str] | None] | None = None,
        api_version: str = API_VERSION,
    ) -> None:
        self.store = store
        self.api_version = api_version
        self._old = versions.older(api_version, API_VERSION)
        self._relations: versions.Relations | None = None
        self._downgraded: dict[tuple[str, str], tuple[bytes, bytes]] = {}
        self._seen_changes = store.changes
        self.faults = faults or FaultPlan()
        self.api_keys = dict(api_keys) if api_keys is not None else {DEFAULT_API_KEY: None}
        self.requests_by_path: Counter[str] = Counter()
        self.idempotency = IdempotencyKeys()
        self._numbers = itertools.count(1)

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
        status, headers, payload = await self.answer(scope, body)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def answer(self, scope, body: bytes) -> tuple[int, list, bytes]:
        number = next(self._numbers)
        request_id = f"req_sbx{number:011d}"
        headers_in = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method, path = scope["method"], scope["path"]
        self.requests_by_path[path] += 1
        out = [
            (b"content-type", b"application/json"),
            (b"request-id", request_id.encode()),
            (b"stripe-version", self._version_header(headers_in).encode()),
        ]
        if self.faults.delay_seconds:
            await asyncio.sleep(self.faults.delay_seconds)
        idem_key = headers_in.get("idempotency-key")
        try:
            api_key = self._authenticate(headers_in.get("authorization"))
            segments = path.strip("/").split("/")
            self._authorize(api_key, method, segments)
            fault = self.faults.fault_for(path)
            if fault == "rate_limit":
                plan = self.faults
                raise rate_limited(plan.retry_after_seconds, plan.rate_limit_should_retry)
            if fault == "server_error":
                raise api_error()
            query = scope.get("query_string", b"")
            params = decode_form(body if method == "POST" else query)
            request = Request(method, path, segments, params, body, api_key, request_id, idem_key)
            if method in ("POST", "DELETE") and idem_key:
                out.append((b"idempotency-key", idem_key.encode()))
                return self._idempotent(request, out)
            return 200, out, self._route(request)
        except StripeError as error:
            return error.status, out + error.headers, error.body(request_id)

    def _version_header(self, headers_in: dict[str, str]) -> str:
        # An older-version sandbox answers in its own version whatever the client asks.
        return self.api_version if self._old else headers_in.get("stripe-version", API_VERSION)

    def _idempotent(self, request: Request, out: list) -> tuple[int, list, bytes]:
        assert request.idempotency_key is not None
        fingerprint = self.idempotency.fingerprint(request.method, request.path, request.body)
        saved = self.idempotency.lookup(request.api_key, request.idempotency_key, fingerprint)
        if saved is not None:
            out.append((b"idempotent-replayed", b"true"))
            out.append((b"original-request", saved.request_id.encode()))
            return saved.status, out, saved.body
        try:
            status, payload = 200, self._route(request)
        except StripeError as error:
            status, payload = error.status, error.body(request.request_id)
            out = out + error.headers
        answer = SavedAnswer(fingerprint, status, payload, request.request_id)
        self.idempotency.save(request.api_key, request.idempotency_key, answer)
        return status, out, payload

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
