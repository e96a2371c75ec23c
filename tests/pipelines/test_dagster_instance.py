"""The Dagster instance the scripts prepare: telemetry off, failed runs retried, and its storage
on PostgreSQL when LEDGERDESK_DAGSTER_POSTGRES_URL names a server (a run is then found in that
database, read back over a connection of the test's own); the URL never lands in the file."""

from __future__ import annotations

import uuid

import dagster as dg
import pytest

from scripts.dagster_home import MAX_RUN_RETRIES, POSTGRES_URL_ENV, prepare_dagster_home

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


@dg.asset
def one_row() -> int:
    return 1


def test_the_instance_retries_failed_runs_and_sends_no_telemetry(tmp_path):
    home = prepare_dagster_home(tmp_path / "dagster", env={})
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert instance.run_retries_enabled
        assert instance.run_retries_max_retries == MAX_RUN_RETRIES
        assert not instance.telemetry_enabled
        assert type(instance.run_storage).__name__ == "SqliteRunStorage"
    finally:
        instance.dispose()


@pytest.fixture
def postgres_database():
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        admin = psycopg2.connect(**PG, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432 for the instance storage: {exc}")
    admin.autocommit = True
    name = f"ledgerdesk_dagster_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cur:
        cur.execute(f"create database {name}")
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"drop database if exists {name} with (force)")
        admin.close()


def test_with_a_postgres_url_runs_are_stored_on_postgres(tmp_path, postgres_database, monkeypatch):
    import psycopg2

    url = f"postgresql://postgres@127.0.0.1:5432/{postgres_database}"
    monkeypatch.setenv(POSTGRES_URL_ENV, url)
    home = prepare_dagster_home(tmp_path / "dagster")
    assert url not in (home / "dagster.yaml").read_text()
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        result = dg.materialize([one_row], instance=instance)
        assert result.success
        run_id = result.run_id
    finally:
        instance.dispose()
    with psycopg2.connect(**{**PG, "dbname": postgres_database}) as con, con.cursor() as cur:
        cur.execute("select run_id, status from runs")
        assert cur.fetchall() == [(run_id, "SUCCESS")]
        cur.execute(
            "select count(*) from event_logs where run_id = %s and dagster_event_type = %s",
            (run_id, "ASSET_MATERIALIZATION"),
        )
        assert cur.fetchone() == (1,)


def test_one_step_per_gateway_reads_it_at_once_across_runs(tmp_path):
    """Each gateway's extraction step is in its own pool; the instance dagster_home.py writes
    grants each pool GATEWAY_POOL_LIMIT (1) slot across all runs: a second run's step of the
    same gateway waits until the first run's is done, another gateway's goes on meanwhile."""
    from pipelines.defs.extract import EXTRACT_ASSETS, pool_of
    from scripts.dagster_home import GATEWAY_POOL_LIMIT

    assert {a.node_def.name: a.op.pool for a in EXTRACT_ASSETS} == {
        "extract_stripe": "gateway_stripe",
        "extract_braintree": "gateway_braintree",
        "extract_paypal": "gateway_paypal",
    }
    assert GATEWAY_POOL_LIMIT == 1
    home = prepare_dagster_home(tmp_path / "dagster", env={})
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        storage = instance.event_log_storage
        stripe, braintree = pool_of("stripe"), pool_of("braintree")
        for pool in (stripe, braintree):
            assert storage.initialize_concurrency_limit_to_default(pool)  # as a run's step does

        def claim(pool, run_id):
            claimed = storage.claim_concurrency_slot(pool, run_id, f"extract_{pool}")
            return claimed.slot_status.value

        assert [claim(stripe, "hourly"), claim(stripe, "full_refresh")] == ["CLAIMED", "BLOCKED"]
        assert claim(braintree, "full_refresh") == "CLAIMED"
        storage.free_concurrency_slots_for_run("hourly")  # its step ended (or the run died)
        assert claim(stripe, "full_refresh") == "CLAIMED"
        info = storage.get_concurrency_info(stripe)
        assert (info.slot_count, [s.run_id for s in info.claimed_slots]) == (1, ["full_refresh"])
    finally:
        instance.dispose()


def test_a_killed_launchers_run_gives_its_gateway_slot_back(tmp_path):
    """No daemon watches a run `make pipeline` executes in its own process: a later launcher
    marks a run whose process is gone failed and frees its pool slot, so the next extraction
    of that gateway does not wait forever; a live launcher's run keeps its slot."""
    import os
    import subprocess
    import sys

    from scripts.pipeline import PID_TAG, launcher_tags, release_dead_runs

    home = prepare_dagster_home(tmp_path / "dagster", env={})
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        child = [sys.executable, "-c", "import os; print(os.getpid())"]
        gone = subprocess.run(child, capture_output=True, text=True, check=True).stdout.strip()
        dead = dg.materialize([one_row], instance=instance, tags={**launcher_tags(), PID_TAG: gone})
        live = dg.materialize([one_row], instance=instance, tags=launcher_tags())
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default("gateway_stripe")
        storage.initialize_concurrency_limit_to_default("gateway_paypal")
        for run, pool in ((dead, "gateway_stripe"), (live, "gateway_paypal")):
            storage.claim_concurrency_slot(pool, run.run_id, "extract")
            # as a run killed mid-step is left: still marked started, its slot claimed
            instance.run_storage.handle_run_event(
                run.run_id,
                dg.DagsterEvent(
                    event_type_value="PIPELINE_START", job_name=run.dagster_run.job_name
                ),
            )
        assert {r.run_id for r in instance.get_runs() if r.status.value == "STARTED"} == {
            dead.run_id, live.run_id
        }  # fmt: skip
        assert release_dead_runs(instance) == [dead.run_id]
        assert instance.get_run_by_id(dead.run_id).status.value == "FAILURE"
        assert instance.get_run_by_id(live.run_id).status.value == "STARTED"
        assert storage.get_concurrency_info("gateway_stripe").claimed_slots == []
        assert [s.run_id for s in storage.get_concurrency_info("gateway_paypal").claimed_slots] == [
            live.run_id
        ]
        assert os.getpid() == int(launcher_tags()[PID_TAG])
    finally:
        instance.dispose()
