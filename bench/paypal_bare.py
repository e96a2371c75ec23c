"""PayPal's part of `make bench-extract` (bench/extract.py): its sandbox at a scale, and a
bare reader of the same pages (httpx + orjson, no SDK) to hold the SDK transport against.

    sandbox(scale) -> context manager yielding (base_url, credentials)
    bare_read(base_url, credentials) -> objects read
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

SERVERS: dict[str, object] = {}  # base_url -> the running server (its request counters)


@contextmanager
def sandbox(scale: float, **serve_options) -> Iterator[tuple[str, dict[str, str]]]:
    from sandbox.paypal.server import serve
    from sandbox.paypal.testing import CLIENT_ID, CLIENT_SECRET, paypal_store

    _, store = paypal_store(scale=scale)
    with serve(store, **serve_options) as server:
        SERVERS[server.url] = server
        try:
            yield server.url, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        finally:
            SERVERS.pop(server.url, None)


def bare_read(base_url: str, credentials: dict[str, str]) -> int:
    """The reader's pages: Transaction Search in the same 31-day windows to now minus three
    hours (balance-affecting rows, then the authorizations), plans, subscriptions, disputes
    (list, then each by id), invoices."""
    import httpx
    import orjson

    from gateways.paypal.reader import (
        HISTORY_SECONDS,
        SEARCH_PAGE_SIZE,
        VISIBILITY_LAG,
        WINDOW_SECONDS,
        rfc3339,
    )  # fmt: skip

    count = 0
    with httpx.Client(base_url=base_url, timeout=60) as client:
        token = orjson.loads(
            client.post(
                "/v1/oauth2/token",
                auth=(credentials["client_id"], credentials["client_secret"]),
                data={"grant_type": "client_credentials"},
            ).content
        )["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"

        def get(path: str, params) -> dict:
            return orjson.loads(client.get(path, params=params).content)

        horizon = int(time.time()) - VISIBILITY_LAG
        authorizations = {"balance_affecting_records_only": "N"}  # then its T13xx rows
        for only in ({}, authorizations):
            start = horizon - HISTORY_SECONDS
            while start <= horizon:
                end = min(start + WINDOW_SECONDS, horizon)
                page = 1
                while True:
                    doc = get("/v1/reporting/transactions", {
                        "start_date": rfc3339(start), "end_date": rfc3339(end),
                        "fields": "all", "page_size": SEARCH_PAGE_SIZE, "page": page, **only,
                    })  # fmt: skip
                    rows = doc.get("transaction_details") or []
                    if only:
                        rows = [r for r in rows if r["transaction_info"]
                                ["transaction_event_code"].startswith("T13")]  # fmt: skip
                    count += len(rows)
                    if page >= int(doc.get("total_pages") or 1):
                        break
                    page += 1
                start += WINDOW_SECONDS + 1
        for path, key, size in (("/v1/billing/plans", "plans", 20),
                                ("/v1/billing/subscriptions", "subscriptions", 20),
                                ("/v2/invoicing/invoices", "items", 100)):  # fmt: skip
            page = 1
            while True:
                params = {"page_size": size, "page": page, "total_required": "true"}
                if key == "plans":
                    client.headers["Prefer"] = "return=representation"
                doc = get(path, params)
                client.headers.pop("Prefer", None)
                count += len(doc.get(key) or [])
                if page >= int(doc.get("total_pages") or 1):
                    break
                page += 1
        params = {"page_size": 50}
        while True:
            doc = get("/v1/customer/disputes", params)
            for item in doc.get("items") or []:
                get(f"/v1/customer/disputes/{item['dispute_id']}", {})
                count += 1
            nxt = [link for link in doc.get("links") or [] if link.get("rel") == "next"]
            if not nxt:
                break
            params = httpx.URL(nxt[0]["href"]).params
    return count
