"""With warehouse.engine postgres the publish step copies the marts dbt built into the schema
`serving` and swaps it in, in one transaction, stamped with the build's id (pipelines/lib/
publish_postgres.py): what dbt does to its own schemas afterwards (a failed build) does not
reach readers until the next publish. The dbt step records the build's data quality in
PostgreSQL."""

from __future__ import annotations

import dagster as dg
import psycopg

from pipelines.defs.publish import marts_snapshot
from pipelines.lib import raw_watermark
from pipelines.lib.data_quality import BuildState, record_build_postgres
from pipelines.lib.data_quality import TestOutcome as Outcome
from pipelines.lib.publish_postgres import served_build
from pipelines.lib.resources import LedgerdeskSettings

CONFIG = (
    "warehouse: {engine: postgres, path: data/warehouse.duckdb, published_dir: data/published}\n"
    "accounts: [{gateway: stripe, name: main, api_key_env: LEDGERDESK_E2E_STRIPE_KEY}]\n"
)


def _publish(tmp_path) -> dict:
    config = tmp_path / "ledgerdesk.yaml"
    config.write_text(CONFIG)
    result = dg.materialize(
        [marts_snapshot],
        resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
        instance=dg.DagsterInstance.ephemeral(),
    )
    (materialization,) = result.asset_materializations_for_node("published__marts_snapshot")
    return {k: v.value for k, v in materialization.metadata.items()}


def _served(conn) -> list:
    return conn.execute(
        "select (select count(*) from serving.fct_payments), serving.normalize_email(' A@B '),"
        " (select string_agg(check_name, ',') from serving._data_quality),"
        " (select build_id from serving._published),"
        " to_regnamespace('serving_next') is null"
    ).fetchone()


def test_publishing_on_postgres_swaps_in_the_built_marts(tmp_path, monkeypatch, pg_warehouse):
    from datetime import datetime

    for name, value in pg_warehouse.dbt_env().items():
        monkeypatch.setenv(name, value)
    dsn = pg_warehouse.dsn()
    state = raw_watermark.PostgresState(dsn)
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "create schema marts;"
            " create table marts.fct_payments as"
            " select g as payment_id from generate_series(1, 3) as g;"
            " create view marts.not_copied as select 1 as x;"
            " create function marts.normalize_email(email text) returns text"
            " language sql immutable return lower(trim(email))"
        )
    warned = (Outcome("not_null_x", "fct_payments", "warn", "warn", 3, "3 rows"),)
    record_build_postgres(dsn, BuildState(True, datetime(2026, 12, 3, 7), warned, ()))
    raw_watermark.record(state, {"raw": {"raw_stripe.charges": [3, None, 1]}}, "key", "build-1")
    assert served_build(dsn) is None
    metadata = _publish(tmp_path)
    assert metadata == {
        "engine": "postgres",
        "schema": "serving",
        "build": "build-1",
        "rows.fct_payments": 3,
    }
    assert served_build(dsn) == "build-1"
    with psycopg.connect(dsn) as conn:
        assert _served(conn) == (3, "a@b", "not_null_x", "build-1", True)
        # A build that fails midway: dbt's own marts half rebuilt, its outcomes recorded.
        conn.execute("delete from marts.fct_payments where payment_id > 1")
        conn.commit()
        record_build_postgres(dsn, BuildState(False, datetime(2026, 12, 3, 8), (), ("boom",)))
        assert _served(conn) == (3, "a@b", "not_null_x", "build-1", True)
    raw_watermark.record(state, {"raw": {}}, "key", "build-2")  # the next successful build
    _publish(tmp_path)
    with psycopg.connect(dsn) as conn:
        assert _served(conn) == (1, "a@b", None, "build-2", True)
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
