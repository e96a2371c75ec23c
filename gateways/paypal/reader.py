"""PayPalReader: each PayPal entity page by page as plain dicts, from the raw answers.

Transaction Search (transactions; authorizations, which only `balance_affecting_records_only=N`
lists, their T13xx rows kept) is read oldest first in windows of at most 31 days (PayPal's
limit) with `fields=all` and `page_size=500`; the newest window ends at now minus three
hours (PayPal lists a transaction up to three hours after it happened: a cursor past that
line would skip the late ones); a window PayPal answers RESULTSET_TOO_LARGE is halved and
read again. The other entities are listed whole (their entity specs say why).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from gateways.base import Page, ReadCursor
from gateways.errors import GatewayError, GatewayServerError
from gateways.paypal.entities import ENTITIES
from gateways.paypal.transport import PAYPAL_SIGNALS, PayPalTransport
from gateways.retry import RetryPolicy

DEFAULT_API_BASE = "https://api-m.paypal.com"
WINDOW_SECONDS = 31 * 86_400  # Transaction Search's longest date range
VISIBILITY_LAG = 3 * 3600  # how late Transaction Search may list a transaction
HISTORY_SECONDS = 3 * 365 * 86_400  # how far back Transaction Search reaches
SEARCH_PAGE_SIZE = 500
TOO_LARGE = "RESULTSET_TOO_LARGE"
# Authorizations are not balance-affecting: listed only with N, which lists every row, with
# no event-code filter (a void or reauthorization may be a T13xx row of its own: T1301, T1302).
SEARCH_FILTERS: dict[str, list[tuple[str, str]]] = {
    "transactions": [],
    "authorizations": [("balance_affecting_records_only", "N")],
}
AUTHORIZATION_CODES = "T13"  # T1300 authorization, T1301 reauthorization, T1302 void, ...


def kept(entity: str, details: list[Any]) -> list[Any]:
    """The rows the entity lands: the authorizations' listing keeps its T13xx rows (the
    balance-affecting rest is the transactions' listing); a malformed row goes on to the
    runner, which quarantines it."""
    if entity != "authorizations":
        return details
    codes = [_code(d) for d in details]
    return [d for d, c in zip(details, codes, strict=True)
            if not isinstance(c, str) or c.startswith(AUTHORIZATION_CODES)]  # fmt: skip


def _code(detail: Any) -> Any:
    info = detail.get("transaction_info") if isinstance(detail, dict) else None
    return info.get("transaction_event_code") if isinstance(info, dict) else None


def rfc3339(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PayPalReader:
    gateway = "paypal"

    def __init__(
        self,
        account: Any,
        *,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        token_clock: Callable[[], float] = time.time,
        max_retries: int = 5,
        history_start: int | None = None,
    ) -> None:
        self.account = account
        self._now = now
        self._history_start = history_start
        self.transport = PayPalTransport(
            client_id=account.secret("client_id"),
            client_secret=account.secret("client_secret"),
            api_base=account.api_base or DEFAULT_API_BASE,
            label=account.label,
            policy=RetryPolicy(max_attempts=max_retries + 1, signals=PAYPAL_SIGNALS),
            sleep=sleep,
            jitter=jitter,
            clock=now,
            token_clock=token_clock,
        )
        self.sdk = self.transport.sdk

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> PayPalReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def horizon(self) -> int:
        """The newest time a listing may reach: older transactions are all visible now."""
        return int(self._now()) - VISIBILITY_LAG

    def read(self, entity: str, since: ReadCursor | None = None) -> Iterator[Page]:
        if entity not in ENTITIES:
            raise ValueError(f"unknown PayPal entity {entity!r}; known: {sorted(ENTITIES)}")
        since = since or ReadCursor()
        if entity in SEARCH_FILTERS:
            return self._transactions(since, entity)
        return {
            "plans": self._plans,
            "subscriptions": self._subscriptions,
            "disputes": self._disputes,
            "invoices": self._invoices,
        }[entity](since.resume)

    # Transaction Search ---------------------------------------------------------------------
    def _transactions(self, since: ReadCursor, entity: str) -> Iterator[Page]:
        horizon = self.horizon()
        if since.resume:
            # <start>:<end>:<page>[:<pages>]: go on after that page of that window, then on
            # to the horizon. A window whose last page was landed ends there (no request for a
            # page past it); tokens saved before `pages` was added ask for the next page.
            ws, we, page, *pages = (int(x) for x in since.resume.split(":"))
            stack = [(we + 1, None)] if we < horizon else []
            done = bool(pages) and page >= pages[0]
            first: tuple[int, int, int] | None = None if done else (ws, we, page + 1)
        else:
            start = since.since
            if start is None:
                start = self._history_start or horizon - HISTORY_SECONDS
            stack, first = [(start, None)], None
        pending: list[tuple[int, int, int]] = [first] if first else []
        while pending or stack:
            if not pending:
                ws, _ = stack.pop()
                if ws > horizon:
                    break
                pending.append((ws, min(ws + WINDOW_SECONDS, horizon), 1))
                if ws + WINDOW_SECONDS < horizon:
                    stack.append((ws + WINDOW_SECONDS + 1, None))
            ws, we, page = pending.pop()
            try:
                doc, served = self._search(entity, ws, we, page)
            except GatewayError as error:
                if error.code != TOO_LARGE:
                    raise
                if we <= ws:
                    raise GatewayServerError(
                        self.account.label, entity, "one second holds too many"
                    ) from error
                mid = ws + (we - ws) // 2
                pending.extend([(mid + 1, we, 1), (ws, mid, 1)])
                continue
            details = kept(entity, doc.get("transaction_details") or [])
            total_pages = int(doc.get("total_pages") or 1)
            if page < total_pages:
                pending.append((ws, we, page + 1))
            more = bool(pending or (stack and stack[-1][0] <= horizon))
            yield Page(details, f"{ws}:{we}:{page}:{total_pages}", more, served)

    def _search(self, entity: str, start: int, end: int, page: int) -> tuple[Any, int]:
        options = {
            "start_date": rfc3339(start),
            "end_date": rfc3339(end),
            "fields": "all",
            "page_size": SEARCH_PAGE_SIZE,
            "page": page,
        }
        what = f"{entity} {options['start_date']}..{options['end_date']} page {page}"
        params = list(options.items()) + SEARCH_FILTERS[entity]
        return self.transport.get_sdk_http("/v1/reporting/transactions", params, what)

    # Subscriptions API (through the SDK) -----------------------------------------------------
    def _plans(self, resume: str | None) -> Iterator[Page]:
        def call(page: int):
            options = {"prefer": "return=representation", "page_size": 20, "page": page,
                       "total_required": True}  # fmt: skip
            return lambda: self.sdk.subscriptions.list_billing_plans(options)

        return self._numbered(call, "plans", "plans", resume)

    def _subscriptions(self, resume: str | None) -> Iterator[Page]:
        def call(page: int):
            options = {"page_size": 20, "page": page}
            return lambda: self.sdk.subscriptions.list_subscriptions(options)

        return self._numbered(call, "subscriptions", "subscriptions", resume)

    def _numbered(self, call, key: str, what: str, resume: str | None) -> Iterator[Page]:
        page = int(resume) + 1 if resume else 1
        while True:
            doc, served = self.transport.call_sdk(call(page), f"{what} page {page}")
            pages = int(doc.get("total_pages") or 1)
            yield Page(list(doc.get(key) or []), str(page), page < pages, served)
            if page >= pages:
                return
            page += 1

    # Disputes and Invoicing v2 (not in the SDK: plain HTTP, transport.get_plain) -------------
    def _disputes(self, resume: str | None) -> Iterator[Page]:
        token = resume or None
        while True:
            params: list[tuple[str, Any]] = [("page_size", 50)]
            if token:
                params.append(("next_page_token", token))
            doc, served = self.transport.get_plain("/v1/customer/disputes", params, "disputes")
            details = []
            for item in doc.get("items") or []:
                did = item.get("dispute_id") if isinstance(item, dict) else None
                if not did:
                    details.append(item)  # the runner quarantines it
                    continue
                detail, _ = self.transport.get_plain(
                    f"/v1/customer/disputes/{did}", [], f"dispute {did}"
                )
                details.append(detail)
            token = _next_token(doc.get("links") or [])
            yield Page(details, token, token is not None, served)
            if token is None:
                return

    def _invoices(self, resume: str | None) -> Iterator[Page]:
        page = int(resume) + 1 if resume else 1
        while True:
            params = [("page", page), ("page_size", 100), ("total_required", "true")]
            doc, served = self.transport.get_plain(
                "/v2/invoicing/invoices", params, f"invoices page {page}"
            )
            pages = int(doc.get("total_pages") or 1)
            yield Page(list(doc.get("items") or []), str(page), page < pages, served)
            if page >= pages:
                return
            page += 1


def _next_token(links: list[Any]) -> str | None:
    for link in links:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            values = parse_qs(urlsplit(link["href"]).query).get("next_page_token")
            if values:
                return values[0]
    return None
