"""The raw ASGI app: auth, faults, routing, idempotency and Stripe's response headers."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sandbox.stripe import reads, writes
from sandbox.stripe.entities import ENTITIES, LISTED
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
    ) -> None:
        self.store = store
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
            (b"stripe-version", headers_in.get("stripe-version", API_VERSION).encode()),
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
        entity = segments[1]
        if len(segments) == 2 and entity in LISTED:
            return self._page(reads.list_entity(self.store, entity, params), path)
        if len(segments) == 3 and entity in LISTED:
            return self._retrieve(entity, segments[2])
        if len(segments) == 4 and entity == "invoices" and segments[3] == "lines":
            return self._page(reads.list_invoice_lines(self.store, segments[2], params), path)
        if len(segments) >= 4 and entity == "customers" and segments[3] == "tax_ids":
            if self.store.retrieve("customers", segments[2]) is None:
                raise no_such("customer", segments[2])
            if len(segments) == 4:
                params = {**params, "customer": segments[2]}
                return self._page(reads.list_entity(self.store, "tax_ids", params), path)
            if len(segments) == 5:
                return self._retrieve("tax_ids", segments[4])
        return None

    def _retrieve(self, entity: str, object_id: str) -> bytes:
        blob = self.store.retrieve(entity, object_id)
        if blob is None:
            raise no_such(ENTITIES[entity].object, object_id)
        variant = self.faults.malformed.get(object_id)
        return blob if variant is None else malformed_blob(blob, variant)

    def _page(self, page: Page, url: str) -> bytes:
        blobs = page.blobs
        malformed = self.faults.malformed
        if malformed:
            blobs = [
                malformed_blob(blob, malformed[oid]) if oid in malformed else blob
                for oid, blob in zip(page.ids, blobs, strict=True)
            ]
        return reads.list_body(blobs, page.has_more, url)
