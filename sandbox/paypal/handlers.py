"""The PayPal sandbox's routes: `PayPalHandler.handle(Request) -> Response`, behind
`authenticate` (OAuth client credentials, bearer tokens with `expires_in`)."""

from __future__ import annotations

import base64
import math
import secrets
import time
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sandbox.paypal import wire
from sandbox.paypal.query import int_param, param, reply, time_param
from sandbox.paypal.render import search_date
from sandbox.paypal.render_billing import plan_summary
from sandbox.paypal.store import PayPalStore
from sandbox.paypal.wire import PayPalError, Request, Response, invalid_request

MAX_WINDOW = 31 * 86_400
SCOPES = ("reporting/search/read", "subscriptions", "invoicing", "disputes/read-seller")
SEARCH_PARAMS = frozenset({
    "start_date", "end_date", "transaction_id", "transaction_type", "transaction_status",
    "transaction_amount", "transaction_currency", "payment_instrument_type", "store_id",
    "terminal_id", "fields", "balance_affecting_records_only", "page_size", "page",
})  # fmt: skip
SECTIONS = (
    "transaction_info", "payer_info", "shipping_info", "auction_info", "cart_info",
    "incentive_info", "store_info",
)  # fmt: skip


class PayPalHandler:
    def __init__(self, store: PayPalStore, account_number: str = "LEDGERDESKMRCH") -> None:
        self.store = store
        self.account_number = account_number
        self.tokens: dict[str, float] = {}  # access token -> expiry (wall clock)
        self.tokens_issued = 0

    # Auth -------------------------------------------------------------------------------
    def authenticate(self, req: Request) -> Response | None:
        if req.path == "/v1/oauth2/token":
            return None
        auth = req.headers.get("authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        expiry = self.tokens.get(token)
        if expiry is None:
            return wire.oauth_error(401, "invalid_token", "Token signature verification failed")
        if time.time() >= expiry:
            return wire.oauth_error(401, "invalid_token", "Access Token expired")
        return None

    def token(self, req: Request) -> Response:
        auth = req.headers.get("authorization", "")
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            client_id, secret = "", ""
        if not auth.startswith("Basic ") or self.store.clients.get(client_id) != secret:
            return wire.oauth_error(401, "invalid_client", "Client Authentication failed")
        form = dict(parse_qsl(req.body.decode()))
        if form.get("grant_type") != "client_credentials":
            return wire.oauth_error(400, "unsupported_grant_type", "Grant Type is NULL")
        token = "A21AA" + secrets.token_urlsafe(40)
        self.tokens[token] = time.time() + self.store.token_seconds
        self.tokens_issued += 1
        return reply({
            "scope": " ".join(f"https://uri.paypal.com/services/{s}" for s in SCOPES),
            "access_token": token, "token_type": "Bearer", "app_id": "APP-80W284485P519543T",
            "expires_in": self.store.token_seconds, "nonce": secrets.token_hex(16),
        })  # fmt: skip

    # Routing ----------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        try:
            return self._route(req)
        except PayPalError as error:
            return error.response(req.request_id)

    def _route(self, req: Request) -> Response:
        parts = req.path.strip("/").split("/")
        if req.method == "POST" and req.path == "/v1/oauth2/token":
            return self.token(req)
        if req.method != "GET":
            raise wire.not_found(req.path)
        s = self.store
        match parts:
            case ["v1", "reporting", "transactions"]:
                return self.search(req)
            case ["v1", "billing", "plans"]:
                return self.plans(req)
            case ["v1", "billing", "plans", pid]:
                return reply(_get({p["id"]: p for p in s.plans}, pid))
            case ["v1", "billing", "subscriptions"]:
                items = sorted(s.subscriptions.values(), key=lambda o: (o["create_time"], o["id"]))
                return self.paged(req, items, "subscriptions", max_size=20)
            case ["v1", "billing", "subscriptions", sid]:
                return reply(_get(s.subscriptions, sid))
            case ["v1", "billing", "subscriptions", sid, "transactions"]:
                _get(s.subscriptions, sid)
                start, end = time_param(req, "start_time"), time_param(req, "end_time")
                txns = [t for t in s.subscription_txns.get(sid, []) if _within(t, start, end)]
                return reply({"transactions": txns, "total_items": len(txns), "total_pages": 1,
                              "links": []})  # fmt: skip
            case ["v2", "payments", "captures", cid]:
                return reply(_get(s.captures, cid))
            case ["v2", "payments", "refunds", rid]:
                return reply(_get(s.refunds, rid))
            case ["v2", "payments", "authorizations", aid]:
                return reply(_get(s.authorizations, aid))
            case ["v1", "customer", "disputes"]:
                return self.disputes(req)
            case ["v1", "customer", "disputes", did]:
                return reply(_get(s.disputes, did))
            case ["v2", "invoicing", "invoices"]:
                items = sorted(s.invoices, key=lambda o: o["detail"]["metadata"]["create_time"],
                               reverse=True)  # fmt: skip
                return self.paged(req, items, "items", max_size=100)
            case ["v2", "invoicing", "invoices", iid]:
                return reply(_get({i["id"]: i for i in s.invoices}, iid))
        raise wire.not_found(req.path)

    def search(self, req: Request) -> Response:
        unknown = {k for k, _ in req.query} - SEARCH_PARAMS
        if unknown:
            name = sorted(unknown)[0]
            raise invalid_request(name, param(req, name), "INVALID_PARAMETER", "Unknown parameter.")
        start, end = time_param(req, "start_date"), time_param(req, "end_date")
        if end < start or end - start > MAX_WINDOW:
            raise invalid_request("end_date", param(req, "end_date"), "INVALID_PARAMETER_VALUE",
                                  "Date range is greater than 31 days")  # fmt: skip
        size = int_param(req, "page_size", 100, 1, 500)
        page = int_param(req, "page", 1, 1, 2**31 - 1)
        fields = (param(req, "fields") or "transaction_info").split(",")
        sections = SECTIONS if "all" in fields else tuple(f for f in fields if f in SECTIONS)
        balance = param(req, "balance_affecting_records_only") or "Y"
        if balance not in ("Y", "N"):  # the spec's values, exactly: no y or n
            raise invalid_request("balance_affecting_records_only", balance,
                                  "INVALID_PARAMETER_VALUE", "Value must be Y or N.")  # fmt: skip
        rows = self.store.search(
            start, end, balance_affecting_only=balance == "Y",
            event_code=param(req, "transaction_type"),
        )  # fmt: skip
        if len(rows) > self.store.resultset_cap:
            raise wire.resultset_too_large()
        pages = max(1, math.ceil(len(rows) / size))
        chosen = rows[(page - 1) * size : page * size]
        details = [{k: r.detail[k] for k in sections if k in r.detail} for r in chosen]
        now = self.store.now()
        doc = {
            "transaction_details": details,
            "account_number": self.account_number,
            "start_date": search_date(start),
            "end_date": search_date(end),
            "last_refreshed_datetime": search_date(now - self.store.max_lag_seconds),
            "page": page,
            "total_items": len(rows),
            "total_pages": pages,
            "links": self._links(req, page, pages),
        }
        return reply(doc)

    def plans(self, req: Request) -> Response:
        full = "return=representation" in req.headers.get("prefer", "")
        items = [p if full else plan_summary(p) for p in self.store.plans]
        return self.paged(req, items, "plans", max_size=20)

    def paged(self, req: Request, items: list, key: str, max_size: int) -> Response:
        size = int_param(req, "page_size", 10, 1, max_size)
        page = int_param(req, "page", 1, 1, 100_000)
        pages = max(1, math.ceil(len(items) / size))
        doc: dict[str, Any] = {key: items[(page - 1) * size : page * size]}
        if (param(req, "total_required") or "").lower() == "true" or key != "plans":
            doc["total_items"], doc["total_pages"] = len(items), pages
        doc["links"] = self._links(req, page, pages)
        return reply(doc)

    def disputes(self, req: Request) -> Response:
        size = int_param(req, "page_size", 10, 1, 50)
        token = param(req, "next_page_token")
        offset = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        items = sorted(
            self.store.disputes.values(),
            key=lambda d: (d["create_time"], d["dispute_id"]),
            reverse=True,
        )
        keep = ("dispute_id", "create_time", "update_time", "reason", "status", "dispute_state",
                "dispute_amount", "dispute_life_cycle_stage", "dispute_channel",
                "seller_response_due_date", "links")  # fmt: skip
        chosen = [{k: d[k] for k in keep if k in d} for d in items[offset : offset + size]]
        links = [{"href": f"{req.path}?{urlencode(req.query)}", "rel": "self", "method": "GET"}]
        if offset + size < len(items):
            nxt = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
            query = [(k, v) for k, v in req.query if k != "next_page_token"]
            query.append(("next_page_token", nxt))
            links.append({"href": f"{req.path}?{urlencode(query)}", "rel": "next", "method": "GET"})
        return reply({"items": chosen, "links": links})

    @staticmethod
    def _links(req: Request, page: int, pages: int) -> list[dict[str, str]]:
        def href(n: int) -> str:
            query = [(k, v) for k, v in req.query if k != "page"] + [("page", str(n))]
            return f"{req.path}?{urlencode(query)}"

        links = [{"href": href(page), "rel": "self", "method": "GET"}]
        if page < pages:
            links.append({"href": href(page + 1), "rel": "next", "method": "GET"})
        links.append({"href": href(pages), "rel": "last", "method": "GET"})
        return links


def _get(table: dict[str, dict], key: str) -> dict:
    try:
        return table[key]
    except KeyError:
        raise wire.not_found(key) from None


def _within(txn: dict, start: int, end: int) -> bool:
    ts = int(datetime.fromisoformat(txn["time"].replace("Z", "+00:00")).timestamp())
    return start <= ts <= end
