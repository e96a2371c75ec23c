"""List and retrieve endpoints: parameters checked as Stripe checks them, pages as bytes."""

from __future__ import annotations

from typing import Any

from sandbox.stripe.entities import ENTITIES, NESTED_PARAMS, SUBLISTS
from sandbox.stripe.errors import StripeError, invalid_integer, no_such, unknown_parameter
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


def check_params(params: dict[str, Any], accepted: frozenset[str]) -> None:
    """Stripe's 400 `parameter_unknown` for the first parameter the endpoint does not take."""
    for name, value in params.items():
        if name not in accepted:
            raise unknown_parameter(name)
        nested = NESTED_PARAMS.get(name)
        if nested is not None and isinstance(value, dict):
            for key in value:
                if key not in nested:
                    raise unknown_parameter(f"{name}[{key}]")


def _param(params: dict[str, Any], name: str) -> Any:
    """`payment[type]` reads params["payment"]["type"]; other names read params[name]."""
    if "[" not in name:
        return params.get(name)
    outer, inner = name[:-1].split("[", 1)
    nested = params.get(outer)
    return nested.get(inner) if isinstance(nested, dict) else None


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
            raise unknown_parameter(f"created[{op}]")
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
        value = None if name.startswith("_") else _param(params, name)
        if value is None:
            continue
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


def list_entity(
    store: StripeStore, entity: str, params: dict[str, Any], hidden: set[str] | None = None
) -> Page:
    """One page; `hidden` ids (a fault's late events) are left out as if not yet written."""
    limit = parse_limit(params)
    created = parse_created(params)
    with store.lock:  # a consistent page even while another thread writes
        after, before = _cursor(store, entity, params)
        positions = _filtered_positions(store, entity, params)
        if hidden:
            table = store.tables[entity]
            every = range(len(table)) if positions is None else positions
            positions = [i for i in every if table.ids[i] not in hidden]
        return store.tables[entity].page(
            limit,
            positions=positions,
            created_range=created,
            starting_after=after,
            ending_before=before,
        )


def list_invoice_lines(store: StripeStore, invoice_id: str, params: dict[str, Any]) -> Page:
    return list_children(store, "invoices", invoice_id, params)


def list_children(store: StripeStore, parent: str, parent_id: str, params: dict[str, Any]) -> Page:
    """One page of a parent's embedded list (invoice lines, credit note lines, items)."""
    kind = next(sub for sub in SUBLISTS if sub.parent == parent)
    if store.tables[parent].get(parent_id) is None:
        raise no_such(ENTITIES[parent].object, parent_id)
    limit = parse_limit(params)
    lines = store.sublists[parent].get(parent_id)
    if lines is None:
        return Page([], [], False)
    after, before = params.get("starting_after"), params.get("ending_before")
    start, stop = 0, len(lines.ids)
    for param, value in (("starting_after", after), ("ending_before", before)):
        if value and value not in lines.pos:
            raise no_such(kind.object, value, param=param)
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


def list_subscription_items(store: StripeStore, params: dict[str, Any]) -> Page:
    """`GET /v1/subscription_items?subscription=`: the parameter is required."""
    sub_id = params.get("subscription")
    if not sub_id:
        raise StripeError(
            400,
            "Missing required param: subscription.",
            code="parameter_missing",
            param="subscription",
        )
    if store.tables["subscriptions"].get(sub_id) is None:
        raise no_such("subscription", sub_id, param="subscription")
    return list_children(store, "subscriptions", sub_id, params)
