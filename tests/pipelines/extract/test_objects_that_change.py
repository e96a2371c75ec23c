"""Every entity says how a change to an object already landed reaches the warehouse, and
balance transactions (no events) are read again while they are pending."""

from __future__ import annotations

import copy

from gateways.stripe.entities import ENTITIES, EVENTS, IMMUTABLE, OPEN_ROWS
from pipelines.extract.base import DAY
from pipelines.extract.stripe import extract_stripe_entity
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from tests.pipelines.extract.conftest import account_for, raw_payloads, store_objects

quiet = [].append


def test_every_entity_states_how_its_changes_are_caught_and_why():
    for spec in ENTITIES.values():
        assert spec.changes in (EVENTS, OPEN_ROWS, IMMUTABLE), spec.name
        assert len(spec.why) > 20, spec.name
        if spec.changes == EVENTS:
            assert spec.event_types, spec.name
        if spec.changes == OPEN_ROWS:
            assert spec.reopen_while is not None, spec.name
    assert {n for n, s in ENTITIES.items() if s.changes == IMMUTABLE} == {"events"}
    assert ENTITIES["balance_transactions"].reopen_while == ("status", ("pending",))
    assert ENTITIES["invoice_payments"].reopen_while == ("status", ("open",))


def test_a_pending_balance_transaction_is_read_again_until_available(rendered, tmp_path):
    objects = {k: copy.deepcopy(v) for k, v in rendered.items() if isinstance(v, list)}
    txns = sorted(objects["balance_transactions"], key=lambda t: t["created"])
    newest = txns[-1]["created"]
    old = next(t for t in reversed(txns) if t["created"] < newest - 20 * DAY)
    older = next(t for t in txns if t["created"] < old["created"] - 5 * DAY)
    old["status"] = "pending"
    store = StripeStore(objects)
    path = tmp_path / "w.duckdb"
    with serve(store) as server:
        account = account_for(server, lookback_days=3)
        extract_stripe_entity(account, "balance_transactions", path, log=quiet)
        assert raw_payloads(path, "balance_transactions")[("main", old["id"])]["status"] == (
            "pending"
        )
        with store.lock:
            for txn_id, status in ((old["id"], "available"), (older["id"], "reversed?")):
                txn = store.load("balance_transactions", txn_id)
                store.save("balance_transactions", {**txn, "status": status})
        again = extract_stripe_entity(account, "balance_transactions", path, log=quiet)

    landed = raw_payloads(path, "balance_transactions")
    assert landed[("main", old["id"])]["status"] == "available"
    assert again.updated == 1  # only the pending one was reached back for: an available
    assert landed[("main", older["id"])]["status"] == "available"  # one is final
    expected = store_objects(store, "balance_transactions")
    expected[older["id"]]["status"] = "available"
    assert landed == {("main", i): o for i, o in expected.items()}
    # with nothing pending any more, the next run lists only the lookback
    with serve(store) as server:
        third = extract_stripe_entity(account_for(server), "balance_transactions", path, log=quiet)
    assert third.objects_seen < len(txns) // 4
