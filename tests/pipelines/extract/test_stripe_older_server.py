"""Against the sandbox's older-version mode and its late-event fault.

An account pinned to 2020-08-27 lands every entity
it offers in its own shapes, nothing quarantined, and warns for /v1/invoice_payments; an
event that becomes visible after newer ones is still applied thanks to the overlap."""

from __future__ import annotations

from gateways.stripe.entities import ENTITIES
from pipelines.extract.landing import prepare_tables
from pipelines.extract.stripe import extract_stripe_entity
from sandbox.stripe.server import serve
from tests.pipelines.extract.conftest import account_for, raw_payloads, store_objects
from tests.pipelines.extract.test_stripe_full_and_incremental import refund_old_charge

OLDER = "2020-08-27"


def test_an_account_pinned_to_2020_lands_everything_it_offers_unquarantined(store, tmp_path):
    path = tmp_path / "w.duckdb"
    messages: list[str] = []
    with serve(store, api_version=OLDER) as server:
        results = {}
        for entity in ENTITIES:
            prepare_tables(path, "stripe", entity)
            results[entity] = extract_stripe_entity(
                account_for(server), entity, path, log=messages.append
            )
    assert {e: r.quarantined for e, r in results.items()} == dict.fromkeys(ENTITIES, 0)
    offered = {e for e in ENTITIES if e != "invoice_payments"}
    for entity in offered:
        landed = raw_payloads(path, entity)
        assert {i for (_, i) in landed} >= set(store_objects(store, entity)), entity
    assert raw_payloads(path, "invoice_payments") == {}
    (warning,) = [m for m in messages if m.startswith("WARNING")]
    assert "invoice_payments: not offered by this server" in warning
    # the shapes are 2020's, as sent: a charge names its invoice, and embeds its refunds
    charges = raw_payloads(path, "charges")
    assert charges and all("invoice" in c and "refunds" in c for c in charges.values())


def test_an_event_visible_only_after_newer_ones_is_still_applied(store, tmp_path):
    path = tmp_path / "w.duckdb"
    quiet = [].append
    with serve(store) as server:
        account = account_for(server)
        extract_stripe_entity(account, "charges", path, log=quiet)
        charge_id, _ = refund_old_charge(store)
        late = [
            i
            for i in store.tables["events"].ids[-2:]
            if store.load("events", i)["type"] == "charge.refunded"
        ]
        later = store.now() + 120
        store.clock = lambda: later
        with store.lock:  # a charge event two minutes newer, visible at once
            other = next(i for i in store.tables["charges"].ids if i != charge_id)
            store.emit("charge.updated", store.load("charges", other))
        server.faults.delay_event(late, requests=3)
        extract_stripe_entity(account, "charges", path, log=quiet)
        before = raw_payloads(path, "charges")[("main", charge_id)]["amount_refunded"]
        extract_stripe_entity(account, "charges", path, log=quiet)
    after = raw_payloads(path, "charges")[("main", charge_id)]
    assert len(late) == 1 and before == after["amount_refunded"] - 100  # missed, then seen
    assert after == store_objects(store, "charges")[charge_id]
