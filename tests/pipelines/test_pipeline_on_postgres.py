"""The whole path on PostgreSQL (`warehouse.engine: postgres`): the real launcher's Dagster jobs
in process, the Stripe SDK against a sandbox of the e2e business, raw rows landed in
PostgreSQL, `dbt build --target postgres`, the marts published to the schema `serving`. The
served marts equal the business's own figures to the minor unit, as the DuckDB run's do
(test_end_to_end.py)."""

from __future__ import annotations

import os
import sys
import time

import pytest

from ledgerdesk.config import load_settings
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from scripts.pipeline import run_pipeline
from tests.conftest import SANDBOX_KEY, write_config
from tests.pg_database import fresh_pg_database
from tests.truth import revenue_rows

psycopg = pytest.importorskip("psycopg")

REVENUE_ROWS_SQL = (
    "select to_char(month, 'YYYY-MM'), currency, gross_minor, refunds_minor, "
    "disputes_lost_minor, net_minor, payments_count, refunds_count, disputes_lost_count, "
    "disputes_lost_estimated_count from serving.rpt_revenue_monthly order by 1, 2"
)
COUNTED = [
    ("fct_payments", "charges"),
    ("fct_refunds", "refunds"),
    ("fct_disputes", "disputes"),
    ("fct_subscriptions", "subscriptions"),
    ("fct_invoices", "invoices"),
]


@pytest.fixture(scope="module")
def pg_run(e2e_business, tmp_path_factory):
    """(settings, ok, seconds, database) of one full pipeline run into PostgreSQL."""
    folder = tmp_path_factory.mktemp("e2e_pg")
    saved = dict(os.environ)
    store = StripeStore.from_business(e2e_business)
    with fresh_pg_database() as pg, serve(store, api_keys={SANDBOX_KEY: None}) as server:
        try:
            os.environ["LEDGERDESK_E2E_STRIPE_KEY"] = SANDBOX_KEY
            os.environ.pop("LEDGERDESK_PG_DSN", None)
            os.environ.update(pg.dbt_env())
            config = write_config(folder, server.url)
            config.write_text(
                config.read_text().replace("warehouse:\n", "warehouse:\n  engine: postgres\n")
            )
            settings = load_settings(config)
            start = time.perf_counter()
            ok = run_pipeline(settings, full_refresh=True)
            seconds = time.perf_counter() - start
            print(f"pipeline on PostgreSQL (extract + dbt build): {seconds:.1f} s", file=sys.stderr)
            yield settings, ok, seconds, pg
        finally:
            os.environ.clear()
            os.environ.update(saved)


def test_the_pipeline_on_postgres_equals_the_business(pg_run, e2e_business):
    settings, ok, _, pg = pg_run
    assert settings.engine == "postgres" and ok
    with psycopg.connect(pg.dsn()) as conn:
        conn.execute("set time zone 'UTC'")
        revenue = [tuple(r) for r in conn.execute(REVENUE_ROWS_SQL).fetchall()]
        counts = {
            mart: conn.execute(f"select count(*) from serving.{mart}").fetchone()[0]
            for mart, _ in COUNTED
        }
        raw = conn.execute("select count(*) from raw_stripe.charges").fetchone()[0]
        status = conn.execute("select status from ledgerdesk.build_status").fetchall()
    assert revenue == revenue_rows(e2e_business.totals)
    totals = e2e_business.totals["counts"]
    assert counts == {mart: totals[entity] for mart, entity in COUNTED}
    assert raw == totals["charges"] > 500
    assert status == [("success",)]
    # nothing of the warehouse on disk: no DuckDB file, no snapshot
    assert not settings.warehouse_path.exists() and not settings.published_dir.exists()
