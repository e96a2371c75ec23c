"""Extraction through failures: a crash between batches, rate limits, 5xx, malformed objects."""

from __future__ import annotations

import time

import duckdb
import pytest

from gateways.errors import GatewayAuthError, GatewayPermissionError
from gateways.stripe import StripeGateway
from pipelines.extract.stripe import extract_stripe_entity
from sandbox.stripe.faults import AMOUNT_AS_STRING, MISSING_CREATED, FaultPlan
from tests.pipelines.extract.conftest import (
    account_for,
    live_and_tombstoned,
    raw_payloads,
    store_objects,
)

quiet = [].append


class Crash(Exception):
    pass


def crash_after(batches: int):
    seen = []

    def log(message: str) -> None:
        if "landed listing batch" in message:
            seen.append(message)
            if len(seen) == batches:
                raise Crash(message)

    return log


def test_crash_between_batches_then_rerun_gives_the_clean_result(sandbox, account, tmp_path):
    clean = tmp_path / "clean.duckdb"
    extract_stripe_entity(account, "charges", clean, log=quiet, batch_objects=100)
    clean_pages = sandbox.requests_by_path["/v1/charges"]

    crashed = tmp_path / "crashed.duckdb"
    with pytest.raises(Crash):
        extract_stripe_entity(account, "charges", crashed, log=crash_after(3), batch_objects=100)
    before_rerun = sandbox.requests_by_path["/v1/charges"]
    rerun = extract_stripe_entity(account, "charges", crashed, log=quiet, batch_objects=100)

    assert raw_payloads(crashed, "charges") == raw_payloads(clean, "charges")
    # it resumed after the last saved batch instead of listing from the start again
    assert sandbox.requests_by_path["/v1/charges"] - before_rerun < clean_pages
    assert rerun.inserted == len(raw_payloads(clean, "charges")) - 300
    assert rerun.cursor["resume"] is None


def test_rate_limits_and_server_errors_every_few_requests_change_nothing(
    sandbox, account, tmp_path
):
    clean = tmp_path / "clean.duckdb"
    for entity in ("charges", "invoices"):
        extract_stripe_entity(account, entity, clean, log=quiet)

    sandbox.faults = FaultPlan(rate_limit_every=3, server_error_every=5, retry_after_seconds=1)
    waits: list[float] = []
    gateway = StripeGateway(account, sleep=waits.append, jitter=lambda: 0.5)
    faulty = tmp_path / "faulty.duckdb"
    for entity in ("charges", "invoices"):
        extract_stripe_entity(account, entity, faulty, log=quiet, gateway=gateway)

    assert waits  # the faults happened and were waited out
    for entity in ("charges", "invoices"):
        assert raw_payloads(faulty, entity) == raw_payloads(clean, entity)


def test_retry_after_is_honoured(sandbox, account, tmp_path):
    sandbox.faults = FaultPlan(rate_limit_every=2, retry_after_seconds=7)
    waits: list[float] = []
    gateway = StripeGateway(account, sleep=waits.append, jitter=lambda: 0.0)
    extract_stripe_entity(account, "refunds", tmp_path / "w.duckdb", log=quiet, gateway=gateway)
    served = sum(sandbox.requests_by_path.values())
    assert len(waits) == served // 2  # every even-numbered request was a 429
    assert waits == [7.0] * len(waits)  # Retry-After above the first backoff: waited exactly it


def test_malformed_objects_are_quarantined_and_cleared_by_a_clean_version(
    sandbox, store, account, tmp_path
):
    path = tmp_path / "w.duckdb"
    newest = store.tables["charges"].ids[-3:]  # inside the lookback: seen again next run
    sandbox.faults.malform(newest[:2], AMOUNT_AS_STRING)
    sandbox.faults.malform(newest[2:], MISSING_CREATED)

    first = extract_stripe_entity(account, "charges", path, log=quiet)
    assert first.quarantined == 3
    assert set(raw_payloads(path, "charges")) == {
        ("main", i) for i in store_objects(store, "charges") if i not in newest
    }
    reasons = _quarantine(path)
    assert f"charges {newest[0]}: amount is str '" in reasons[newest[0]]
    assert reasons[newest[0]].endswith("expected integer minor units")
    assert reasons[newest[2]] == f"charges {newest[2]}: created is missing, expected Unix seconds"

    sandbox.faults.malformed.clear()
    second = extract_stripe_entity(account, "charges", path, log=quiet)
    assert second.inserted == 3 and second.quarantined == 0
    assert _quarantine(path) == {}
    assert raw_payloads(path, "charges") == {
        ("main", i): o for i, o in store_objects(store, "charges").items()
    }


def _quarantine(path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select object_id, reason from ledgerdesk.quarantine").fetchall()
        return dict(rows)
    finally:
        con.close()


def test_restricted_key_fails_naming_account_and_entity_never_the_key(store, tmp_path):
    from sandbox.stripe.server import serve

    key = "rk_test_customers_only_0123456789"
    with serve(store, api_keys={key: {"customers", "events"}}) as server:
        account = account_for(server, key=key)
        extract_stripe_entity(account, "customers", tmp_path / "w.duckdb", log=quiet)
        with pytest.raises(GatewayPermissionError) as raised:
            extract_stripe_entity(account, "charges", tmp_path / "w.duckdb", log=quiet)
    message = str(raised.value)
    assert "stripe account 'main'" in message and "charges" in message
    assert "HTTP 403" in message and key not in message


def test_wrong_key_is_an_auth_error_without_the_key(sandbox, tmp_path):
    key = "sk_test_not_a_real_key_0123456789"
    with pytest.raises(GatewayAuthError) as raised:
        extract_stripe_entity(account_for(sandbox, key=key), "charges", tmp_path / "w.duckdb")
    assert "HTTP 401" in str(raised.value) and key not in str(raised.value)


def test_a_resume_point_that_no_longer_exists_lists_the_window_again(store, account, tmp_path):
    from pipelines.extract.base import EntityCursor, Resume
    from pipelines.extract.batch import LandingBatch
    from pipelines.extract.landing import land_batch

    path = tmp_path / "w.duckdb"
    resume = Resume("cus_deleted0000000000", None, None)
    # the events feed was read just now: this is a resumed listing, not a stale cursor
    gone = EntityCursor(events_after=0, events_checked_at=int(time.time()), resume=resume)
    land_batch(path, LandingBatch("stripe", "main", "customers", cursor=gone.to_json()))
    messages: list[str] = []
    result = extract_stripe_entity(account, "customers", path, log=messages.append)
    assert any("resume point cus_deleted0000000000 is gone" in m for m in messages)
    # the events read (from the start: no baseline) may land tombstones of deleted ones
    live, _ = live_and_tombstoned(path, store, "customers")
    assert live == {("main", i): o for i, o in store_objects(store, "customers").items()}
    assert result.cursor["resume"] is None


OLDER_VERSION_LACKS = {
    "charges": "amount_captured",
    "customers": "balance",
    "payment_intents": "amount_capturable",
    "invoices": "amount_remaining",
}


def test_objects_in_an_older_shape_land_instead_of_being_quarantined(rendered, tmp_path):
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore

    older = {
        name: [{k: v for k, v in obj.items() if k != OLDER_VERSION_LACKS.get(name)} for obj in objs]
        for name, objs in rendered.items()
        if isinstance(objs, list)
    }
    older["deleted"] = rendered.get("deleted", {})  # what the store no longer lists
    store = StripeStore(older)
    path = tmp_path / "w.duckdb"
    with serve(store) as server:
        for entity, missing in OLDER_VERSION_LACKS.items():
            result = extract_stripe_entity(account_for(server), entity, path, log=quiet)
            landed, _ = live_and_tombstoned(path, store, entity)
            assert result.quarantined == 0
            assert landed == {("main", i): o for i, o in store_objects(store, entity).items()}
            gone = set(older["deleted"].get(entity, ()))
            assert len(landed) == len([o for o in rendered[entity] if o["id"] not in gone])
            assert not any(missing in o for o in landed.values())
    assert _quarantine(path) == {}
