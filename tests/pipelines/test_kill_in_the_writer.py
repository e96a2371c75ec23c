"""A real extraction process SIGKILLed while its writer has a batch queued (another process
holds the warehouse lock) or mid-transaction (rows written, cursor and commit not yet), then
rerun: the batch is lost whole, and the rerun gives the clean run's warehouse."""

from __future__ import annotations

import signal
import time

from pipelines.extract.landing import read_cursor
from pipelines.lib.warehouse import writer_lock
from sandbox.stripe.server import serve
from tests.pipelines.test_kill_mid_listing import (
    BATCH,
    CHILD,
    KILLED_ENTITY,
    PAGE,
    HoldNthRequest,
    finished,
    start_extraction,
    warehouse_state,
)

HELD_BATCH = 3  # the 3rd charges batch stops in its transaction, its rows written
# In the child: the HELD_BATCH-th charges batch says so and sleeps once its rows are written.
HOLD_IN_TRANSACTION = f"""
import time
import pipelines.extract.landing as landing
real, calls = landing._mark_listed_and_prune, []
def held(con, table, batch):
    calls.extend([1] if batch.entity == "{KILLED_ENTITY}" else [])
    if batch.entity == "{KILLED_ENTITY}" and len(calls) == {HELD_BATCH}:
        print("MID TRANSACTION", flush=True)
        time.sleep(600)
    return real(con, table, batch)
landing._mark_listed_and_prune = held
"""
CHARGES = f"/v1/{KILLED_ENTITY}"


def kill(proc) -> str:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return proc.stdout.read()


def rerun_equals_a_clean_run(server, killed, tmp_path) -> None:
    finished(start_extraction(server.url, killed))
    clean = tmp_path / "clean.duckdb"
    finished(start_extraction(server.url, clean))
    recovered, expected = warehouse_state(killed), warehouse_state(clean)
    assert recovered == expected
    assert expected[f"{KILLED_ENTITY} count"] == server.store.count(KILLED_ENTITY) > 3 * PAGE
    assert all(c[3]["resume"] is None for c in expected["cursors"])


def test_sigkill_mid_transaction_loses_that_batch_whole(store, tmp_path):
    assert BATCH < PAGE  # a batch lands after every page
    with serve(store) as server:
        killed = tmp_path / "killed.duckdb"
        proc = start_extraction(server.url, killed, HOLD_IN_TRANSACTION + CHILD)
        try:
            for line in proc.stdout:
                if line.startswith("MID TRANSACTION"):
                    break
            else:
                raise AssertionError("the child ended before its held batch")
            kill(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        state = warehouse_state(killed)
        assert state[f"{KILLED_ENTITY} count"] == (HELD_BATCH - 1) * PAGE  # not one row more
        cursor = read_cursor(killed, "stripe", "main", KILLED_ENTITY)
        assert cursor is not None and cursor["resume"] is not None  # batch 2's, with its rows
        rerun_equals_a_clean_run(server, killed, tmp_path)


def test_sigkill_with_a_batch_queued_behind_another_process_loses_it_whole(store, tmp_path):
    """The sandbox holds the 2nd charges page until this test holds the warehouse lock; the
    child then reads on and hands its writer batches that cannot land. The child's reader
    asks for page n+3 only once batch n+1 was handed over (one in flight, one page ahead),
    so with n batches landed, the (n+3)th request means a batch is queued."""
    plan = HoldNthRequest(CHARGES, 2)
    with serve(store, faults=plan) as server:
        killed = tmp_path / "killed.duckdb"
        proc = start_extraction(server.url, killed)
        try:
            assert plan.holding.wait(timeout=180), "the listing never reached the held page"
            with writer_lock(killed):
                plan.release.set()
                landed = warehouse_state(killed)
                batches = landed[f"{KILLED_ENTITY} count"] // PAGE
                deadline = time.monotonic() + 60
                while server.requests_by_path[CHARGES] < batches + 3:
                    assert time.monotonic() < deadline, "the child never handed a batch over"
                    time.sleep(0.05)
                time.sleep(0.3)  # whatever the child does now, it cannot land
                assert warehouse_state(killed) == landed
                output = kill(proc)
            assert "EXTRACTION DONE" not in output
        finally:
            plan.release.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert warehouse_state(killed) == landed  # the queued batch died with its process
        rerun_equals_a_clean_run(server, killed, tmp_path)
