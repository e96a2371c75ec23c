"""The bare Braintree reader for the extraction benchmark: httpx + lxml, the same pages the
Ledgerdesk reader fetches from the same sandbox (searches in created_at windows halved at the
cap, ids fetched 50 at a time, dispute pages, the catalogue), no SDK. Each page becomes plain
dicts by the same lxml conversion the reader lands (`gateways.braintree.xml`), so the ratio
measures the SDK's transport, not a difference in what is produced.

Every bench/<gateway>_bare.py offers the same two functions:
    sandbox(scale) -> context manager yielding (base_url, credentials)
    bare_read(base_url, {"merchant_id": ..., "public_key": ..., "private_key": ...}) -> objects
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
from lxml import etree

from gateways.braintree.xml import parse

SERVERS: dict[str, object] = {}  # base_url -> the running server (its request counters)
FLOOR = int(datetime(2008, 1, 1, tzinfo=UTC).timestamp())
SEARCHED = {  # entity -> (collection element, item element, cap)
    "transactions": ("credit-card-transactions", "transaction", 20_000),
    "customers": ("customers", "customer", 10_000),
    "subscriptions": ("subscriptions", "subscription", 10_000),
}
CATALOGUE = ("plans", "add_ons", "discounts")


@contextmanager
def sandbox(scale: float, **serve_options) -> Iterator[tuple[str, dict[str, str]]]:
    """The business's Braintree share at `scale`, served as merchant ledgerdesk_sandbox."""
    from sandbox.braintree.app import PRIVATE_KEY, PUBLIC_KEY
    from sandbox.braintree.business import braintree_share
    from sandbox.braintree.server import serve
    from sandbox.braintree.store import MERCHANT_ID, BraintreeStore
    from sandbox.business import generate

    store = BraintreeStore(braintree_share(generate(seed=42, scale=scale)))
    credentials = {"merchant_id": MERCHANT_ID, "public_key": PUBLIC_KEY, "private_key": PRIVATE_KEY}
    with serve(store, **serve_options) as server:
        SERVERS[server.url] = server
        try:
            yield server.url, credentials
        finally:
            SERVERS.pop(server.url, None)


def _when(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _range(field: str, low: int, high: int) -> str:
    return (
        f'<{field}><min type="datetime">{_when(low)}</min>'
        f'<max type="datetime">{_when(high)}</max></{field}>'
    )


def bare_read(
    base_url: str, credentials: Mapping[str, str], caps: Mapping[str, int] | None = None
) -> int:
    caps = caps or {}
    headers = {
        "Accept": "application/xml",
        "Content-Type": "application/xml",
        "X-ApiVersion": "6",
        "Accept-Encoding": "gzip",
    }
    auth = (credentials["public_key"], credentials["private_key"])
    base = f"{base_url.rstrip('/')}/merchants/{credentials['merchant_id']}"
    count = 0
    with httpx.Client(headers=headers, auth=auth, timeout=60) as client:

        def fetch(path: str, body: str) -> dict:
            answer = client.post(f"{base}/{path}", content=body.encode())
            answer.raise_for_status()
            return parse(answer.content)[1]

        def post(path: str, body: str) -> etree._Element:
            answer = client.post(f"{base}/{path}", content=body.encode())
            answer.raise_for_status()
            return etree.fromstring(answer.content)

        now = int(time.time()) + 1
        for entity, (_, item, cap) in SEARCHED.items():
            windows = [(FLOOR, now)]
            while windows:
                low, high = windows.pop(0)
                criteria = _range("created_at", low, high)
                found = post(f"{entity}/advanced_search_ids", f"<search>{criteria}</search>")
                ids = [i.text for i in found.find("ids")]
                if len(ids) >= caps.get(entity, cap) and high > low:
                    mid = (low + high) // 2
                    windows[0:0] = [(low, mid), (mid + 1, high)]
                    continue
                size = int(found.findtext("page-size") or 50)
                for i in range(0, len(ids), size):
                    items = "".join(f"<item>{x}</item>" for x in ids[i : i + size])
                    body = f'<search>{criteria}<ids type="array">{items}</ids></search>'
                    count += len(fetch(f"{entity}/advanced_search", body).get(item, []))
        page = 1
        criteria = f"<search>{_range('received_date', FLOOR, now)}</search>"
        while True:
            found = fetch(f"disputes/advanced_search?page={page}", criteria)
            got = len(found.get("dispute", []))
            count += got
            total = int(found.get("total_items") or 0)
            if not got or page * int(found.get("page_size") or 50) >= total:
                break
            page += 1
        for entity in CATALOGUE:
            answer = client.get(f"{base}/{entity}")
            answer.raise_for_status()
            count += len(parse(answer.content)[1])
    return count
