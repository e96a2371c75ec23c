"""On PostgreSQL the pages read the published build (the schema `serving`,
pipelines/lib/publish_postgres.py), never dbt's own marts: before the first publish they say
there is no published data, after it they show its rows, and after a failed build (dbt's
marts emptied, the failure recorded) they show the same rows and say the data is stale since
the publish (DECISIONLOG.md, 2026-12-03, room review)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
import streamlit as st

from dashboards import queries
from dashboards.data import DataUnavailable
from dashboards.notices import newer_build_unpublished
from pipelines.lib.data_quality import BuildState, record_build_postgres
from pipelines.lib.publish_postgres import publish_postgres
from tests.dashboards.conftest import KEY_ENV

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def on_postgres(pg_warehouse, tmp_path, monkeypatch):
    config = tmp_path / "ledgerdesk.yaml"
    config.write_text(
        f"warehouse:\n  engine: postgres\n  path: {tmp_path / 'unused.duckdb'}\n"
        f"  published_dir: {tmp_path / 'published'}\n"
        f"accounts:\n  - {{gateway: stripe, name: main, api_key_env: {KEY_ENV}}}\n"
    )
    monkeypatch.setenv("LEDGERDESK_CONFIG", str(config))
    monkeypatch.setenv(KEY_ENV, "sk_test_unused_by_the_dashboards")
    monkeypatch.delenv("LEDGERDESK_PG_DSN", raising=False)
    for name, value in pg_warehouse.dbt_env().items():
        monkeypatch.setenv(name, value)
    st.cache_data.clear()
    yield pg_warehouse
    st.cache_data.clear()


def test_the_pages_read_the_published_build(on_postgres):
    dsn = on_postgres.dsn()
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "create schema marts; create table marts.fct_customer_revenue as"
            " select 'p1' as person_id, 'EUR' as currency, 500 as gross_minor,"
            " 0 as refunds_minor, 0 as disputes_lost_minor, 500 as net_minor"
        )
    with pytest.raises(DataUnavailable, match="No published data yet"):
        queries.payment_totals("p1")
    built = datetime(2026, 12, 3, 7)
    record_build_postgres(dsn, BuildState(True, built, (), ()))
    publish_postgres(dsn, "build-1")
    st.cache_data.clear()
    assert queries.payment_totals("p1").rows() == [("EUR", 500, 0, 0, 500)]
    assert queries.build_status()["status"].to_list() == ["success"]
    # The next build fails midway: dbt's own mart emptied, the failure recorded.
    with psycopg.connect(dsn) as conn:
        conn.execute("delete from marts.fct_customer_revenue")
    record_build_postgres(dsn, BuildState(False, datetime(2026, 12, 3, 8), (), ("boom",)))
    st.cache_data.clear()
    assert queries.payment_totals("p1").rows() == [("EUR", 500, 0, 0, 500)]
    status = queries.build_status().row(0, named=True)
    assert (status["status"], status["last_success_at"], status["message"]) == (
        "failed",
        built,
        "boom",
    )
    assert status["published_at"] is not None
    assert not newer_build_unpublished(status)
    # The build after it succeeds, and its publish fails: the pages say so.
    later = status["published_at"] + timedelta(microseconds=1)
    record_build_postgres(dsn, BuildState(True, later, (), ()))
    st.cache_data.clear()
    assert queries.payment_totals("p1").rows() == [("EUR", 500, 0, 0, 500)]
    assert newer_build_unpublished(queries.build_status().row(0, named=True))
    publish_postgres(dsn, "build-3")
    st.cache_data.clear()
    assert queries.payment_totals("p1").rows() == []  # dbt's marts as the last build left them
    assert not newer_build_unpublished(queries.build_status().row(0, named=True))
    assert not os.path.exists(
        os.environ["LEDGERDESK_CONFIG"].replace("ledgerdesk.yaml", "published")
    )
