"""The transform's no-change rule (pipelines/lib/raw_watermark.py; DECISIONLOG.md,
2026-12-02, room incr): a run whose raw rows did not change since the last successful build
does not run dbt; any landed, changed or pruned raw row, a changed project, or missing marts
make it build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import raw_watermark
from tests.dbt.raw_warehouse import load_raw_stripe

KEY = "project-key-1"


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """Two raw tables with rows, and one built mart."""
    path = tmp_path / "warehouse.duckdb"
    load_raw_stripe(
        path,
        {
            "customers": [{"id": "cus_1", "created": 1_700_000_000}],
            "charges": [
                {"id": "ch_1", "created": 1_700_000_000, "amount": 500},
                {"id": "ch_2", "created": 1_700_000_100, "amount": 700},
            ],
        },
    )
    with duckdb.connect(str(path)) as con:
        con.sql("create schema marts; create table marts.fct_payments (payment_id varchar)")
    return path


def _recorded(warehouse: Path, key: str = KEY) -> Path:
    state = raw_watermark.state_path(warehouse, "duckdb")
    raw_watermark.record(state, raw_watermark.read_duckdb(warehouse), key)
    return state


def _unchanged(warehouse: Path, state: Path, key: str = KEY) -> bool:
    return raw_watermark.unchanged(state, raw_watermark.read_duckdb(warehouse), key)


def _sql(warehouse: Path, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.sql(sql)


def test_the_same_raw_rows_and_project_skip_the_build(warehouse):
    state = raw_watermark.state_path(warehouse, "duckdb")
    assert not _unchanged(warehouse, state), "no build recorded yet: must build"
    _recorded(warehouse)
    assert _unchanged(warehouse, state)
    assert raw_watermark.read_duckdb(warehouse)["raw"]["raw_stripe.charges"][0] == 2


@pytest.mark.parametrize(
    "change",
    [
        # a later version of an object landed (refund failed, dispute closed weeks later)
        "update raw_stripe.charges set payload = '{\"amount\": 1}',"
        " synced_at = synced_at + interval 1 second where id = 'ch_1'",
        # a new object landed
        "insert into raw_stripe.charges select account_id, 'ch_3', created, payload,"
        " payload_hash, version_at, synced_at from raw_stripe.charges where id = 'ch_1'",
        # an object deleted on the gateway was pruned
        "delete from raw_stripe.charges where id = 'ch_2'",
        # a raw table of a new entity or gateway
        "create schema raw_paypal; create table raw_paypal.payments as"
        " select * from raw_stripe.charges",
        # the marts were dropped
        "drop table marts.fct_payments",
    ],
    ids=["row-changed", "row-landed", "row-pruned", "table-added", "marts-dropped"],
)
def test_any_raw_change_or_missing_mart_builds(warehouse, change):
    state = _recorded(warehouse)
    _sql(warehouse, change)
    assert not _unchanged(warehouse, state)


def test_a_changed_project_or_a_forgotten_build_builds(warehouse):
    state = _recorded(warehouse)
    assert not _unchanged(warehouse, state, key="project-key-2")
    raw_watermark.forget(state)
    assert not _unchanged(warehouse, state)


def test_rows_of_another_project_or_an_unknown_build_are_built_again_in_full(warehouse):
    """--full-refresh (DECISIONLOG.md, 2026-12-03, room incr) unless the last successful
    build was of this very project."""
    state = raw_watermark.state_path(warehouse, "duckdb")
    assert raw_watermark.full_refresh_needed(state, KEY), "no build recorded: full"
    _recorded(warehouse)
    assert not raw_watermark.full_refresh_needed(state, KEY)
    _sql(warehouse, "delete from raw_stripe.charges where id = 'ch_2'")
    assert not raw_watermark.full_refresh_needed(state, KEY), "raw rows alone: incremental"
    assert raw_watermark.full_refresh_needed(state, "project-key-2")
    raw_watermark.forget(state)
    assert raw_watermark.full_refresh_needed(state, KEY), "a failed or forced build: full"


def test_on_postgresql_the_record_is_kept_in_the_warehouse(pg_warehouse):
    """The same rule read from PostgreSQL's raw tables, the record in ledgerdesk.raw_watermark
    (every machine that runs the transform sees it)."""
    import psycopg

    from pipelines.extract.engines import postgres

    dsn = pg_warehouse.dsn()
    with psycopg.connect(dsn) as conn:
        conn.execute(postgres.raw_table_ddl("raw_stripe.charges"))
        conn.execute(
            "insert into raw_stripe.charges (account_id, id, created, payload, payload_hash,"
            " version_at, synced_at) values ('main', 'ch_1', 1, '{}', 'h', 1, now())"
        )
        conn.execute("create schema marts; create table marts.fct_payments (payment_id text)")
    state = raw_watermark.PostgresState(dsn)
    first = raw_watermark.read_postgres(dsn=dsn)
    assert first["raw"]["raw_stripe.charges"][0] == 1
    assert not raw_watermark.unchanged(state, first, KEY)
    raw_watermark.record(state, first, KEY)
    assert raw_watermark.unchanged(state, raw_watermark.read_postgres(dsn=dsn), KEY)
    with psycopg.connect(dsn) as conn:
        conn.execute("update raw_stripe.charges set synced_at = now() + interval '1 second'")
    assert not raw_watermark.unchanged(state, raw_watermark.read_postgres(dsn=dsn), KEY)
    raw_watermark.forget(state)
    assert not raw_watermark.unchanged(state, first, KEY)
    # What the Dagster asset reads with warehouse.engine postgres: the same database.
    from types import SimpleNamespace

    from pipelines.defs.transform import raw_watermark_of

    settings = SimpleNamespace(
        engine="postgres", postgres=pg_warehouse, warehouse_path=Path("/nonexistent/w.duckdb")
    )
    kept, watermark = raw_watermark_of(settings)
    assert isinstance(kept, raw_watermark.PostgresState) and kept.dsn == dsn
    assert watermark == raw_watermark.read_postgres(dsn=dsn)


def test_the_rule_is_off_when_asked_or_before_any_warehouse(warehouse, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from pipelines.defs.transform import raw_watermark_of

    settings = SimpleNamespace(engine="duckdb", warehouse_path=warehouse)
    kept, watermark = raw_watermark_of(settings)
    assert kept == raw_watermark.state_path(warehouse, "duckdb")
    assert watermark == raw_watermark.read_duckdb(warehouse)
    monkeypatch.setenv("LEDGERDESK_ALWAYS_BUILD", "1")
    assert raw_watermark_of(settings) == (kept, None)
    monkeypatch.delenv("LEDGERDESK_ALWAYS_BUILD")
    missing = SimpleNamespace(engine="duckdb", warehouse_path=tmp_path / "none.duckdb")
    assert raw_watermark_of(missing)[1] is None


def test_the_dagster_asset_skips_dbt_when_nothing_changed(tmp_path, e2e_env):
    """Through the real asset: the first run builds in full and records its watermark, the
    second (nothing landed) runs no dbt and materializes nothing, the third (run config
    `full_refresh`) builds everything again. (What makes a run build again is the watermark
    tests' above, without a build each.)"""
    import dagster as dg
    from dagster_dbt import DbtCliResource

    from ledgerdesk.config import load_settings
    from pipelines.defs.transform import ledgerdesk_dbt_models
    from pipelines.lib.dbt_project import dbt_project
    from pipelines.lib.resources import LedgerdeskSettings
    from tests.conftest import write_config
    from tests.dbt.edge_cases import warning_objects

    config = write_config(tmp_path, "http://127.0.0.1:9")
    settings = load_settings(config, e2e_env)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    load_raw_stripe(settings.warehouse_path, warning_objects())
    resources = {
        "dbt": DbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
        ),
        "ledgerdesk": LedgerdeskSettings(config_path=str(config)),
    }
    saved = dict(os.environ)  # the dbt step exports LEDGERDESK_WAREHOUSE for dbt
    forced = {"ops": {"ledgerdesk_dbt_models": {"config": {"full_refresh": True}}}}
    instance = dg.DagsterInstance.ephemeral()
    try:
        for name in ("LEDGERDESK_ALWAYS_BUILD", "LEDGERDESK_FULL_REFRESH"):
            os.environ.pop(name, None)
        runs, full = [], []
        for run_config in (None, None, forced):
            result = dg.materialize(
                [ledgerdesk_dbt_models], resources=resources, run_config=run_config,
                instance=instance,
            )  # fmt: skip
            assert result.success
            runs.append(len(result.get_asset_materialization_events()))
            logs = [entry.user_message for entry in instance.all_logs(result.run_id)]
            full.append(any(m.startswith("full refresh:") for m in logs))
        state = raw_watermark.state_path(settings.warehouse_path, "duckdb")
        assert state.is_file()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    built = runs[0]
    assert built > 20, runs  # every model of the project
    # Nothing changed: skipped, unless an operator asks for a full refresh (run config).
    assert runs == [built, 0, built]
    assert full == [True, False, True]  # the first: no successful build known
