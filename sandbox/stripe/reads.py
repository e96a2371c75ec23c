"""List and retrieve endpoints: parameters checked as Stripe checks them, pages as bytes."""

from __future__ import annotations

from typing import Any

from sandbox.stripe.entities import ENTITIES
from sandbox.stripe.errors import StripeError, invalid_integer, no_such
from sandbox.stripe.store import StripeStore
from sandbox.stripe.table import Page


def list_body(blobs: list[bytes], has_more: bool, url: str) -> bytes:
    return b"".join(
        (
            b'{"object":"list","data":[',
            b",".join(blobs),
            b'],"has_more":',
            b"true" if has_more else b"false",
            b',"url":"',
            url.encode(),
            b'"}',
        )
    )


def _integer(param: str, raw: Any) -> int:
    if not isinstance(raw, str) or not raw.lstrip("-").isdigit():
        raise invalid_integer(param, str(raw))
    return int(raw)


def parse_limit(params: dict[str, Any]) -> int:
    if "limit" not in params:
        return 10
    limit = _integer("limit", params["limit"])
    if limit < 1:
        raise StripeError(400, "This value must be greater than or equal to 1.", param="limit")
    if limit > 100:
        raise StripeError(400, "This value must be less than or equal to 100.", param="limit")
    return limit


def parse_created(params: dict[str, Any]) -> tuple[int | None, int | None]:
    """`created` as an inclusive (gte, lte) range."""
    raw = params.get("created")
    if raw is None:
        return None, None
    if isinstance(raw, str):
        exact = _integer("created", raw)
        return exact, exact
    if not isinstance(raw, dict):
        raise StripeError(400, "Invalid timestamp", param="created")
    gte = lte = None
    for op, value in raw.items():
        if op not in ("gt", "gte", "lt", "lte"):
            raise StripeError(400, f"Received unknown parameter: created[{op}]", param="created")
        ts = _integer(f"created[{op}]", value)
        low = ts + 1 if op == "gt" else ts if op == "gte" else None
        high = ts - 1 if op == "lt" else ts if op == "lte" else None
        if low is not None:
            gte = low if gte is None else max(gte, low)
        if high is not None:
            lte = high if lte is None else min(lte, high)
    return gte, lte


def _cursor(store: StripeStore, entity: str, params: dict[str, Any]) -> tuple[int | None, ...]:
    after, before = params.get("starting_after"), params.get("ending_before")
    if after and before:
        raise StripeError(
            400, "You may only specify one of these parameters: ending_before, starting_after."
        )
    table, object_name = store.tables[entity], ENTITIES[entity].object
    positions: list[int | None] = []
    for param, value in (("starting_after", after), ("ending_before", before)):
        if not value:
            positions.append(None)
        elif value not in table.pos:
            raise no_such(object_name, value, param=param)
        else:
            positions.append(table.pos[value])
    return tuple(positions)


def _filtered_positions(
    store: StripeStore, entity: str, params: dict[str, Any]
) -> list[int] | None:
    table = store.tables[entity]
    chosen: list[list[int]] = []
    for name in ENTITIES[entity].filters:
        if name.startswith("_") or name not in params:
            continue
        value = params[name]
        if entity == "subscriptions" and name == "status" and value in ("all", "ended"):
            if value == "ended":
                chosen.append(table.candidates(name, ["canceled", "incomplete_expired"]))
            continue
        if entity == "events" and name == "type" and isinstance(value, str) and "*" in value:
            prefix = value.split("*", 1)[0]
            chosen.append(
                table.candidates(name, [k for k in table.index[name] if k.startswith(prefix)])
            )
            continue
        chosen.append(table.candidates(name, [str(value)]))
    if entity == "events" and "types" in params:
        types = params["types"] if isinstance(params["types"], list) else [params["types"]]
        chosen.append(table.candidates("type", [str(t) for t in types]))
    if entity == "subscriptions" and "status" not in params:
        chosen.append(table.candidates("_canceled", ["false"]))
    if not chosen:
        return None
    if len(chosen) == 1:
        return chosen[0]
    smallest, *others = sorted(chosen, key=len)
    other_sets = [set(o) for o in others]
    return [i for i in smallest if all(i in s for s in other_sets)]


def list_entity(store: StripeStore, entity: str, params: dict[str, Any]) -> Page:
    limit = parse_limit(params)
    created = parse_created(params)
    with store.lock:  # a consistent page even while another thread writes
        after, before = _cursor(store, entity, params)
        positions = _filtered_positions(store, entity, params)
        return store.tables[entity].page(
            limit,
            positions=positions,
            created_range=created,
            starting_after=after,
            ending_before=before,
        )


def list_invoice_lines(store: StripeStore, invoice_id: str, params: dict[str, Any]) -> Page:
    if store.tables["invoices"].get(invoice_id) is None:
        raise no_such("invoice", invoice_id)
    limit = parse_limit(params)
    lines = store.invoice_lines.get(invoice_id)
    if lines is None:
        return Page([], [], False)
    after, before = params.get("starting_after"), params.get("ending_before")
    start, stop = 0, len(lines.ids)
    for param, value in (("starting_after", after), ("ending_before", before)):
        if value and value not in lines.pos:
            raise no_such("line_item", value, param=param)
    if before:
        stop = lines.pos[before]
        start = max(0, stop - limit)
        has_more = start > 0
    else:
        if after:
            start = lines.pos[after] + 1
        stop = min(stop, start + limit)
        has_more = stop < len(lines.ids)
    return Page(lines.ids[start:stop], lines.blobs[start:stop], has_more)
