"""An account pinned to an older Stripe API version (2020-08-27): the same business, served
in that version's shapes (no /v1/invoice_payments, `charge.invoice`, top-level
`invoice.subscription`, `total_tax_amounts`, ...), goes through the real launcher and builds
every mart, with the same payments and refunds, row for row and to the minor unit, as the
run against the pinned version (tests/conftest.py's e2e_run).

Stripe's own 2020-08-27 description has `amount_captured`, `balance`, `amount_capturable`
and `amount_remaining`, but Stripe-compatible servers that answer older shapes leave them
out (the case that once emptied fct_payments): this server leaves them out too, so the
staging derivations are what the comparison proves."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib.publish import snapshot_path
from tests.conftest import SANDBOX_KEY, write_config

OLDER = "2020-08-27"
# Fields a compatible server answering an older version may lack, per entity.
LACKING = {
    "charges": ("amount_captured",),
    "customers": ("balance",),
    "payment_intents": ("amount_capturable",),
    "invoices": ("amount_remaining",),
}
PAYMENTS = (
    "select payment_id, status, amount_minor, amount_captured_minor, amount_refunded_minor, "
    "currency, created_at, customer_id, person_id, invoice_id from marts.fct_payments "
    "order by payment_id"
)
REFUNDS = (
    "select refund_id, payment_id, status, amount_minor, currency, created_at, "
    "is_revenue_refund from marts.fct_refunds order by refund_id"
)


@pytest.fixture(scope="module")
def older_snapshot(tmp_path_factory, e2e_business, e2e_env):
    from ledgerdesk.config import load_settings
    from sandbox.stripe.render import render_business
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore
    from scripts.pipeline import run_pipeline

    rendered = render_business(e2e_business)
    for entity, fields in LACKING.items():
        for obj in rendered[entity]:
            for name in fields:
                obj.pop(name, None)
    store = StripeStore(rendered)
    with serve(store, api_keys={SANDBOX_KEY: None}, api_version=OLDER) as server:
        folder = tmp_path_factory.mktemp("older")
        settings = load_settings(write_config(folder, server.url), e2e_env)
        ok = run_pipeline(settings, full_refresh=True)
    assert ok, "the pipeline against the 2020-08-27 server failed: see the log above"
    con = duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def pinned_snapshot(e2e_run):
    assert e2e_run["ok"]
    con = duckdb.connect(str(snapshot_path(e2e_run["settings"].published_dir)), read_only=True)
    yield con
    con.close()


def _marts(con) -> dict[str, int]:
    tables = con.sql(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' and table_name not like '\\_%' escape '\\'"
    ).fetchall()
    return {t: con.sql(f"select count(*) from marts.{t}").fetchall()[0][0] for (t,) in tables}


def test_every_mart_is_built_with_the_same_rows(older_snapshot, pinned_snapshot):
    pinned = _marts(pinned_snapshot)
    assert pinned["fct_payments"] > 0
    assert _marts(older_snapshot) == pinned


def test_the_same_payments_and_refunds_to_the_minor_unit(older_snapshot, pinned_snapshot):
    assert older_snapshot.sql(PAYMENTS).fetchall() == pinned_snapshot.sql(PAYMENTS).fetchall()
    assert older_snapshot.sql(REFUNDS).fetchall() == pinned_snapshot.sql(REFUNDS).fetchall()


def test_the_same_revenue_report(older_snapshot, pinned_snapshot):
    report = "select * from marts.rpt_revenue_monthly order by month, currency"
    assert older_snapshot.sql(report).fetchall() == pinned_snapshot.sql(report).fetchall()
