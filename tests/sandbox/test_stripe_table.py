"""EntityTable pages against a plain reference: sort, filter, cut at the cursor, slice."""

from __future__ import annotations

import random

import orjson
import pytest

from sandbox.stripe.table import EntityTable


def reference(objects, limit, *, customer=None, gte=None, lte=None, after=None, before=None):
    """Stripe's order (created desc, later insertion first), then Stripe's cursor semantics."""
    order = [o for _, o in sorted(enumerate(objects), key=lambda p: (p[1]["created"], p[0]))]
    order.reverse()
    rank = {o["id"]: i for i, o in enumerate(order)}
    kept = [
        o
        for o in order
        if (customer is None or o["customer"] == customer)
        and (gte is None or o["created"] >= gte)
        and (lte is None or o["created"] <= lte)
        and (after is None or rank[o["id"]] > rank[after])
        and (before is None or rank[o["id"]] < rank[before])
    ]
    if before is not None:
        page = kept[-limit:]
        return [o["id"] for o in page], len(kept) > limit
    return [o["id"] for o in kept[:limit]], len(kept) > limit


@pytest.mark.parametrize("seed", range(6))
def test_pages_match_the_reference(seed):
    rng = random.Random(seed)
    objects = [
        {"id": f"ch_{i}", "created": rng.randint(0, 40), "customer": f"cus_{rng.randint(0, 3)}"}
        for i in range(120)
    ]
    table = EntityTable({"customer": lambda o: o["customer"]})
    table.load(objects[:100])
    for obj in sorted(objects[100:], key=lambda o: o["created"]):
        obj["created"] += 40  # written after the history, as the write endpoints do
        table.add(obj)
    for _ in range(200):
        limit = rng.randint(1, 15)
        customer = rng.choice([None, "cus_1", "cus_2"])
        gte = rng.choice([None, rng.randint(0, 80)])
        lte = rng.choice([None, rng.randint(0, 80)])
        cursor = rng.choice([None, "after", "before"])
        pivot = rng.choice(objects)["id"]
        after, before = (pivot, None) if cursor == "after" else (None, pivot)
        if cursor is None:
            after = before = None
        page = table.page(
            limit,
            positions=None if customer is None else table.candidates("customer", [customer]),
            created_range=(gte, lte),
            starting_after=None if after is None else table.pos[after],
            ending_before=None if before is None else table.pos[before],
        )
        expected = reference(
            objects, limit, customer=customer, gte=gte, lte=lte, after=after, before=before
        )
        assert (page.ids, page.has_more) == expected
        assert [orjson.loads(b)["id"] for b in page.blobs] == page.ids


def test_replace_moves_an_object_between_filter_values():
    table = EntityTable({"status": lambda o: o["status"]})
    table.load([{"id": f"sub_{i}", "created": i, "status": "active"} for i in range(5)])
    table.replace({"id": "sub_2", "created": 2, "status": "canceled"})
    assert table.candidates("status", ["active"]) == [0, 1, 3, 4]
    assert table.candidates("status", ["canceled"]) == [2]
    assert orjson.loads(table.get("sub_2"))["status"] == "canceled"
