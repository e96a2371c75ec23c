"""A full extraction of one account against a sandbox enforcing Stripe's live limits (25
requests a second per endpoint, 100 in all; 429 past them): every entity side by side, paced
under the limits, lands whole; any 429 that came was retried (none left as an error)."""

from __future__ import annotations

import time
from dataclasses import replace

from gateways.stripe.entities import ENTITIES
from gateways.stripe.module import MODULE
from pipelines.extract.parallel import Task, extract_all
from sandbox.stripe.faults import LIVE_RATE_LIMITS, FaultPlan
from sandbox.stripe.server import serve
from tests.pipelines.extract.conftest import account_for, live_and_tombstoned, store_objects

LIVE = {"per_path_per_second": 25, "total_per_second": 100}


def test_every_entity_side_by_side_under_the_live_limits(store, tmp_path):
    path = tmp_path / "w.duckdb"
    with serve(store, faults=FaultPlan(rate_limits=LIVE_RATE_LIMITS)) as server:
        account = replace(account_for(server), rate_limits=LIVE)
        started = time.monotonic()
        outcomes = extract_all([Task(MODULE, account, e) for e in ENTITIES], path, log=[].append)
        seconds = time.monotonic() - started
        requests = sum(server.requests_by_path.values())
    assert [o.error for o in outcomes] == [None] * len(ENTITIES)
    for entity in ENTITIES:
        live, _ = live_and_tombstoned(path, store, entity)
        assert live == {("main", i): o for i, o in store_objects(store, entity).items()}, entity
    # never faster than the ceiling allows (the pacer, not the server's 429s, held it)
    assert requests / seconds <= LIVE["total_per_second"]
