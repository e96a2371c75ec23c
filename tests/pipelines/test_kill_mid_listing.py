"""A real extraction process SIGKILLed in the middle of one entity's listing, between two
batches, then rerun: the warehouse equals a clean run's, whole tables and counts.

The moment is not guessed with a sleep: the sandbox holds the Nth page request of the listing
(a fault plan that blocks), so when the kill comes the child has committed exactly the batches
before that page and is waiting on the network; the warehouse is checked to say so first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import orjson
import pytest

from pipelines.extract.landing import read_cursor
from pipelines.lib.warehouse import writer_lock
from sandbox.stripe.faults import FaultPlan
from sandbox.stripe.server import serve

ROOT = Path(__file__).resolve().parents[2]
KEY_ENV = "LEDGERDESK_KILL_TEST_KEY"
SANDBOX_KEY = "sk_test_ledgerdesk_sandbox"
ENTITIES = ("customers", "charges")
KILLED_ENTITY, PAGE, BATCH = "charges", 100, 50  # a batch lands after every page of 100
HELD_REQUEST = 4  # the 4th charges page: batches 1-3 are committed when it is asked for

CHILD = """
import sys
from pathlib import Path
from ledgerdesk.config import GatewayAccount
from pipelines.extract.stripe import extract_stripe_entity

url, warehouse, key_env, batch, *entities = sys.argv[1:]
account = GatewayAccount("stripe", "main", key_env, default_currency="USD", api_base=url)
for entity in entities:
    extract_stripe_entity(account, entity, Path(warehouse), batch_objects=int(batch),
                          log=lambda m: print(m, flush=True))
print("EXTRACTION DONE", flush=True)
"""


class HoldNthRequest(FaultPlan):
    """Holds the Nth request to `path` until released (the server answers nothing meanwhile)."""

    def __init__(self, path: str, nth: int) -> None:
        super().__init__()
        self.path, self.nth = path, nth
        self.holding, self.release = threading.Event(), threading.Event()

    def fault_for(self, path: str) -> str | None:
        fault = super().fault_for(path)
        if path == self.path and self.seen_by_path[path] == self.nth:
            self.holding.set()
            self.release.wait(timeout=120)
        return fault


def start_extraction(url: str, warehouse: Path, child: str = CHILD) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), KEY_ENV: SANDBOX_KEY}
    return subprocess.Popen(
        [sys.executable, "-c", child, url, str(warehouse), KEY_ENV, str(BATCH), *ENTITIES],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def landed_when_settled(warehouse: Path, expected: int, timeout: float = 60.0) -> int:
    """The killed entity's row count once it reaches `expected` (or what it is at `timeout`):
    the page before the held one may still be on its way to the writer."""
    deadline = time.monotonic() + timeout
    while True:
        with writer_lock(warehouse):  # the child's writer holds the file while it lands
            landed = warehouse_state(warehouse)[f"{KILLED_ENTITY} count"]
        if landed >= expected or time.monotonic() > deadline:
            return landed
        time.sleep(0.1)


def finished(proc: subprocess.Popen) -> str:
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "EXTRACTION DONE" in output, output[-3000:]
    return output


def warehouse_state(path: Path) -> dict:
    """Every raw row whole (without our own sync times), the cursors (without our clock's
    events_checked_at), the quarantine, and the counts."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        state: dict = {}
        for entity in ENTITIES:
            rows = con.execute(
                f"select account_id, id, created, payload::varchar, payload_hash "
                f"from raw_stripe.{entity} order by account_id, id"
            ).fetchall()
            state[entity] = rows
            state[f"{entity} count"] = len(rows)
        cursors = con.execute(
            "select gateway, account_id, entity, cursor::varchar from ledgerdesk.cursors "
            "order by all"
        ).fetchall()
        state["cursors"] = [
            (g, a, e, {k: v for k, v in orjson.loads(c).items() if k != "events_checked_at"})
            for g, a, e, c in cursors
        ]
        state["quarantine"] = con.execute(
            "select entity, object_id, reason from ledgerdesk.quarantine order by all"
        ).fetchall()
        return state
    finally:
        con.close()


@pytest.fixture
def held_sandbox(store):
    plan = HoldNthRequest(f"/v1/{KILLED_ENTITY}", HELD_REQUEST)
    with serve(store, faults=plan) as server:
        try:
            yield server, plan
        finally:
            plan.release.set()


def test_sigkill_between_batches_then_rerun_equals_a_clean_run(held_sandbox, tmp_path):
    server, plan = held_sandbox
    total = server.store  # the same store answers the clean run, the killed one and the rerun

    # Killed run first (the plan holds only the first time the Nth request comes).
    killed = tmp_path / "killed.duckdb"
    proc = start_extraction(server.url, killed)
    try:
        assert plan.holding.wait(timeout=180), "the listing never reached the held page"
        # The warehouse says where the child is: customers done, charges mid-listing with
        # exactly the batches before the held page committed. The child reads one page ahead,
        # so the held request can come before the page before it has landed: the writer is
        # waited for (it can land nothing more, the next page being held), not slept on.
        landed = landed_when_settled(killed, (HELD_REQUEST - 1) * PAGE)
        assert landed == (HELD_REQUEST - 1) * PAGE
        cursor = read_cursor(killed, "stripe", "main", KILLED_ENTITY)
        assert cursor is not None and cursor["resume"] is not None, cursor
        assert read_cursor(killed, "stripe", "main", "customers")["resume"] is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        plan.release.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    killed_output = proc.stdout.read()
    assert "landed listing batch" in killed_output and "EXTRACTION DONE" not in killed_output

    before_rerun = server.requests_by_path[f"/v1/{KILLED_ENTITY}"]
    finished(start_extraction(server.url, killed))
    rerun_pages = server.requests_by_path[f"/v1/{KILLED_ENTITY}"] - before_rerun

    clean = tmp_path / "clean.duckdb"
    before_clean = server.requests_by_path[f"/v1/{KILLED_ENTITY}"]
    finished(start_extraction(server.url, clean))
    clean_pages = server.requests_by_path[f"/v1/{KILLED_ENTITY}"] - before_clean

    recovered, expected = warehouse_state(killed), warehouse_state(clean)
    assert recovered == expected
    assert expected[f"{KILLED_ENTITY} count"] == total.count(KILLED_ENTITY) > 3 * PAGE
    assert all(c[3]["resume"] is None for c in expected["cursors"])
    # The rerun resumed after the committed batches instead of listing from the start.
    assert rerun_pages < clean_pages
