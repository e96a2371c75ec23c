"""extract_stripe_entity against the real sandbox: full load, idempotent rerun, late changes."""

from __future__ import annotations

import duckdb
import pytest

from gateways.stripe.entities import ENTITIES
from pipelines.extract.base import DAY
from pipelines.extract.landing import prepare_tables
from pipelines.extract.stripe import extract_stripe_entity
from tests.pipelines.extract.conftest import live_and_tombstoned, raw_payloads, store_objects

quiet = [].append  # a log that keeps nothing


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_full_load_equals_what_the_sandbox_serves(entity, store, account, tmp_path):
    path = tmp_path / "w.duckdb"
    prepare_tables(path, "stripe", entity)  # as the asset does
    result = extract_stripe_entity(account, entity, path, log=quiet)
    expected = store_objects(store, entity)
    # a tombstone only for an object deleted in the events read's overlap
    live, stones = live_and_tombstoned(path, store, entity)
    assert live == {("main", i): obj for i, obj in expected.items()}
    assert result.inserted == len(expected) + len(stones)
    if expected:
        assert result.cursor["resume"] is None
        assert result.cursor["created_gte"] == max(o["created"] for o in expected.values())


def test_rerun_with_nothing_changed_writes_nothing(account, tmp_path):
    path = tmp_path / "w.duckdb"
    extract_stripe_entity(account, "charges", path, log=quiet)
    before = _synced(path)
    again = extract_stripe_entity(account, "charges", path, log=quiet)
    assert (again.inserted, again.updated, again.events_applied) == (0, 0, 0)
    # the lookback window was listed again, the objects of recent events read again...
    assert again.unchanged == again.objects_seen + again.objects_reread
    assert _synced(path) == before  # ...and not one row rewritten


def _synced(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select id, synced_at from raw_stripe.charges order by id").fetchall()
    finally:
        con.close()


def refund_old_charge(store) -> tuple[str, str]:
    """What the refund endpoint does: a new refund, the charge updated, two events."""
    charges = store.tables["charges"]
    with store.lock:
        charge_id = next(
            i for i, b in zip(charges.ids, charges.blobs, strict=True) if b'"refunded":false' in b
        )
        charge = store.load("charges", charge_id)
        refund = {
            "id": store.new_id("re"),
            "object": "refund",
            "amount": 100,
            "charge": charge_id,
            "created": store.now(),
            "currency": charge["currency"],
            "status": "succeeded",
        }
        store.insert("refunds", refund)
        charge["amount_refunded"] = charge["amount_refunded"] + 100
        store.save("charges", charge)
        store.emit("refund.created", refund)
        store.emit("charge.refunded", charge)
    return charge_id, refund["id"]


def test_refund_after_a_run_arrives_with_the_next_incremental_run(store, account, tmp_path):
    path = tmp_path / "w.duckdb"
    for entity in ("charges", "refunds"):
        extract_stripe_entity(account, entity, path, log=quiet)
    charge_id, refund_id = refund_old_charge(store)
    old = raw_payloads(path, "charges")[("main", charge_id)]
    assert old["created"] < store.now() - 10 * DAY  # outside the lookback: only events see it

    charges = extract_stripe_entity(account, "charges", path, log=quiet)
    refunds = extract_stripe_entity(account, "refunds", path, log=quiet)

    assert charges.updated == 1 and charges.events_applied == 1
    landed_charge = raw_payloads(path, "charges")[("main", charge_id)]
    assert landed_charge == store_objects(store, "charges")[charge_id]
    assert landed_charge["amount_refunded"] == old["amount_refunded"] + 100
    assert refunds.inserted == 1
    assert raw_payloads(path, "refunds")[("main", refund_id)]["charge"] == charge_id
    assert raw_payloads(path, "charges") == {
        ("main", i): o for i, o in store_objects(store, "charges").items()
    }


def test_stale_events_cursor_falls_back_to_a_full_relist(store, account, tmp_path):
    path = tmp_path / "w.duckdb"
    extract_stripe_entity(account, "charges", path, log=quiet)
    messages: list[str] = []
    later = extract_stripe_entity(
        account, "charges", path, log=messages.append, now=lambda: int(store.now() + 31 * DAY)
    )
    assert any("full re-list" in m for m in messages)
    assert later.objects_seen == store.count("charges")
    assert (later.inserted, later.updated) == (0, 0)
