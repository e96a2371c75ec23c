"""The key set of every rendered object: Stripe's own example objects (render_shapes.json).

Each rendered object starts as a fresh copy of its example, so no key is missing and none is
invented; the renderer then overwrites values. Differences from the example, on purpose:
a charge has no `refunds` and an invoice no `payments` (both absent unless expanded, in API
2026-10-28.endive); invoice payments are objects of their own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import orjson

SHAPES_JSON = Path(__file__).with_name("render_shapes.json")


@cache
def _shapes_bytes() -> dict[str, bytes]:
    resources = orjson.loads(SHAPES_JSON.read_bytes())["resources"]
    resources["charge"].pop("refunds")
    resources["invoice"].pop("payments", None)
    return {name: orjson.dumps(obj) for name, obj in resources.items()}


def fresh(object_name: str) -> dict:
    """A new, independent copy of the example object of `object_name`."""
    return orjson.loads(_shapes_bytes()[object_name])


def list_object(data: list, url: str, with_count: bool = False) -> dict:
    """A Stripe list with every item in `data`; the server pages it when asked."""
    out = {"object": "list", "data": data, "has_more": False, "url": url}
    if with_count:
        out["total_count"] = len(data)
    return out
