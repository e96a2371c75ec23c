"""Stripe's part of `make bench-extract` (bench/extract.py): its sandbox at a scale, and a
bare reader of the same pages (httpx + orjson, no SDK) to hold the SDK transport against.

Every bench/<gateway>_bare.py offers the same two functions:
    sandbox(scale) -> context manager yielding (base_url, credentials)
    bare_read(base_url, credentials) -> objects read
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

SANDBOX_KEY = "sk_test_ledgerdesk_sandbox"
SERVERS: dict[str, object] = {}  # base_url -> the running server (its request counters)


@contextmanager
def sandbox(scale: float, **serve_options) -> Iterator[tuple[str, dict[str, str]]]:
    from sandbox.business import generate
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore

    store = StripeStore.from_business(generate(seed=42, scale=scale))
    with serve(store, **serve_options) as server:
        SERVERS[server.url] = server
        try:
            yield server.url, {"api_key": SANDBOX_KEY}
        finally:
            SERVERS.pop(server.url, None)


def bare_read(base_url: str, credentials: dict[str, str]) -> int:
    """Every entity's pages, newest first, embedded lists completed, as the reader does."""
    import httpx
    import orjson

    from gateways.stripe.entities import ENTITIES

    headers = {"Authorization": f"Bearer {credentials['api_key']}"}
    count = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:

        def pages(path: str, params: dict) -> Iterator[list[dict]]:
            after = params.pop("starting_after", None)
            while True:
                query = {"limit": 100, **params, **({"starting_after": after} if after else {})}
                page = orjson.loads(client.get(path, params=query).content)
                yield page["data"]
                if not page["has_more"] or not page["data"]:
                    return
                after = page["data"][-1]["id"]

        for spec in ENTITIES.values():
            for data in pages(spec.path, dict(spec.list_params)):
                count += len(data)
                for obj in data:
                    for embedded in spec.embedded:
                        listed = obj.get(embedded.field) or {}
                        if not listed.get("has_more"):
                            continue
                        params = {"starting_after": listed["data"][-1]["id"]}
                        if embedded.parent_param:
                            params[embedded.parent_param] = obj["id"]
                        path = embedded.path.replace("{id}", obj["id"])
                        for more in pages(path, params):
                            listed["data"].extend(more)
    return count
