"""`expand[]`, as Stripe does it: includable fields and ID references become objects.

Stored blobs are Stripe's default answer (no includable fields, references as ids); a
request that asks for `expand` gets its objects patched here, the others are served as
stored, so pages without `expand` cost nothing more.

- Includable fields (absent unless asked): `invoice.payments`, `charge.refunds`,
  `customer.subscriptions`, `customer.tax_ids`, `customer.sources`.
- ID references (`charge.customer`, `invoice_payment.payment.payment_intent`): the object
  the id names, when the sandbox serves its type; `null` stays `null`.
- On a list every path starts with `data.`; Stripe's 400 otherwise. At most 4 levels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from sandbox.stripe.entities import ENTITIES
from sandbox.stripe.errors import cannot_expand
from sandbox.stripe.store import StripeStore

MAX_DEPTH = 4
_BY_PREFIX = {e.prefix: e.name for e in ENTITIES.values()}
_BY_OBJECT = {e.object: e.name for e in ENTITIES.values()}


def paths(params: dict[str, Any]) -> list[str]:
    raw = params.get("expand")
    if raw is None:
        return []
    return [raw] if isinstance(raw, str) else [str(p) for p in raw]


def for_list(requested: list[str]) -> list[str]:
    """The object-relative paths of a list's `data.<path>` expansions."""
    out = []
    for path in requested:
        if not path.startswith("data."):
            raise cannot_expand(path, f"data.{path}")
        out.append(path[len("data.") :])
    return out


def expand_blob(store: StripeStore, entity: str, blob: bytes, requested: list[str]) -> bytes:
    obj = orjson.loads(blob)
    for path in requested:
        parts = path.split(".")
        if len(parts) > MAX_DEPTH:
            raise cannot_expand(path)
        _expand(store, entity, obj, parts, path)
    return orjson.dumps(obj)


def _list(data: list[dict], url: str, limit: int = 10) -> dict:
    return {"object": "list", "data": data[:limit], "has_more": len(data) > limit, "url": url}


def _children(store: StripeStore, entity: str, field: str, value: str) -> list[dict]:
    """Objects of `entity` whose `field` is `value`, newest first (Stripe's list order)."""
    table = store.tables[entity]
    positions = table.index[field].get(value, [])
    return [orjson.loads(table.blobs[i]) for i in reversed(positions)]


def _payments(store: StripeStore, obj: dict) -> dict:
    data = _children(store, "invoice_payments", "invoice", obj["id"])
    return _list(data, f"/v1/invoice_payments?invoice={obj['id']}")


def _refunds(store: StripeStore, obj: dict) -> dict:
    data = _children(store, "refunds", "charge", obj["id"])
    return {**_list(data, f"/v1/charges/{obj['id']}/refunds"), "total_count": len(data)}


def _subscriptions(store: StripeStore, obj: dict) -> dict:
    data = [
        s
        for s in _children(store, "subscriptions", "customer", obj["id"])
        if s.get("status") != "canceled"
    ]
    return {**_list(data, f"/v1/customers/{obj['id']}/subscriptions"), "total_count": len(data)}


def _tax_ids(store: StripeStore, obj: dict) -> dict:
    data = _children(store, "tax_ids", "customer", obj["id"])
    return {**_list(data, f"/v1/customers/{obj['id']}/tax_ids"), "total_count": len(data)}


def _sources(store: StripeStore, obj: dict) -> dict:
    return {**_list([], f"/v1/customers/{obj['id']}/sources"), "total_count": 0}


INCLUDABLE: dict[tuple[str, str], Callable[[StripeStore, dict], dict]] = {
    ("invoices", "payments"): _payments,
    ("charges", "refunds"): _refunds,
    ("customers", "subscriptions"): _subscriptions,
    ("customers", "tax_ids"): _tax_ids,
    ("customers", "sources"): _sources,
}


def _referenced(store: StripeStore, object_id: str) -> tuple[str, dict] | None:
    entity = _BY_PREFIX.get(object_id.split("_", 1)[0])
    if entity is None:
        return None
    if store.is_deleted(entity, object_id):
        return entity, {"id": object_id, "object": ENTITIES[entity].object, "deleted": True}
    blob = store.retrieve(entity, object_id)
    return None if blob is None else (entity, orjson.loads(blob))


def _expand(store: StripeStore, entity: str, obj: dict, parts: list[str], path: str) -> None:
    head, rest = parts[0], parts[1:]
    builder = INCLUDABLE.get((entity, head))
    if builder is not None:
        obj[head] = builder(store, obj)
    elif head not in obj:
        raise cannot_expand(path)
    elif isinstance(obj[head], str):
        found = _referenced(store, obj[head])
        if found is None:
            raise cannot_expand(path)
        obj[head] = found[1]
    elif obj[head] is not None and not isinstance(obj[head], dict):
        raise cannot_expand(path)
    value = obj[head]
    if not rest or value is None:
        return
    if value.get("object") == "list":
        if rest[0] != "data" or len(rest) < 2:
            raise cannot_expand(path)
        for item in value["data"]:
            _expand(store, _BY_OBJECT.get(item.get("object"), ""), item, rest[1:], path)
        return
    _expand(store, _BY_OBJECT.get(value.get("object"), ""), value, rest, path)
