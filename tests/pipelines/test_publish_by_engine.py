"""With warehouse.engine postgres the publish step writes no snapshot and says so in the
run's metadata (the dashboards read PostgreSQL directly); the dbt step builds the postgres
target and records the build's data quality in PostgreSQL."""

from __future__ import annotations

import dagster as dg
import psycopg

from pipelines.defs.publish import marts_snapshot
from pipelines.lib.data_quality import BuildState, record_build_postgres
from pipelines.lib.data_quality import TestOutcome as Outcome
from pipelines.lib.resources import LedgerdeskSettings

CONFIG = (
    "warehouse: {engine: postgres, path: data/warehouse.duckdb, published_dir: data/published}\n"
    "accounts: [{gateway: stripe, name: main, api_key_env: LEDGERDESK_E2E_STRIPE_KEY}]\n"
)


def test_publishing_on_postgres_does_nothing_and_says_so(tmp_path, monkeypatch, pg_warehouse):
    for name, value in pg_warehouse.dbt_env().items():
        monkeypatch.setenv(name, value)
    config = tmp_path / "ledgerdesk.yaml"
    config.write_text(CONFIG)
    result = dg.materialize(
        [marts_snapshot],
        resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
        instance=dg.DagsterInstance.ephemeral(),
    )
    (materialization,) = result.asset_materializations_for_node("published__marts_snapshot")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert metadata == {
        "engine": "postgres",
        "published": "nothing (warehouse.engine is postgres: the dashboards read the marts there)",
    }
    assert not (tmp_path / "data").exists()  # no snapshot, no DuckDB file


def test_a_build_state_is_recorded_in_postgres(pg_warehouse):
    from datetime import datetime

    first = BuildState(
        True,
        datetime(2026, 12, 2, 10),
        (Outcome("not_null_x", "fct_payments", "warn", "warn", 3, "3 rows"),),
        (),
    )
    failed = BuildState(False, datetime(2026, 12, 2, 11), (), ("fct_payments: boom",))
    record_build_postgres(pg_warehouse.dsn(), first)
    record_build_postgres(pg_warehouse.dsn(), failed)
    with psycopg.connect(pg_warehouse.dsn()) as conn:
        status = conn.execute("select * from ledgerdesk.build_status").fetchall()
        quality = conn.execute("select count(*) from ledgerdesk.data_quality").fetchone()[0]
    assert status == [
        ("failed", datetime(2026, 12, 2, 11), datetime(2026, 12, 2, 10), "fct_payments: boom")
    ]
    assert quality == 0  # the failed build ran no test
