"""The whole path, through the real launcher: the Stripe SDK's transport against the sandbox
over loopback, Dagster jobs in process, dbt build with its tests, the published snapshot.
The marts must equal the sandbox business's own figures to the minor unit."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from pipelines.lib.publish import snapshot_path


@pytest.fixture(scope="module")
def marts(e2e_run):
    assert e2e_run["ok"], "the pipeline run failed: see the log above"
    con = duckdb.connect(str(snapshot_path(e2e_run["settings"].published_dir)), read_only=True)
    yield con
    con.close()


def rows(con, sql: str) -> dict:
    return {tuple(r[:-1]): r[-1] for r in con.sql(sql).fetchall()}


def test_gross_payments_by_month_and_currency(marts, e2e_business):
    got = rows(
        marts,
        "select strftime(created_at, '%Y-%m'), currency, sum(amount_captured_minor)::bigint "
        "from marts.fct_payments where status = 'succeeded' group by all",
    )
    want = {k: v["amount"] for k, v in e2e_business.totals["payments"].items()}
    assert got == want


def test_refunds_and_lost_disputes_by_month(marts, e2e_business):
    refunds = rows(
        marts,
        "select strftime(created_at, '%Y-%m'), currency, sum(amount_minor)::bigint "
        "from marts.fct_refunds where is_revenue_refund group by all",
    )
    assert refunds == {k: v["amount"] for k, v in e2e_business.totals["refunds"].items()}
    lost = rows(
        marts,
        "select strftime(month, '%Y-%m'), currency, disputes_lost_minor "
        "from marts.rpt_revenue_monthly where disputes_lost_count > 0",
    )
    assert lost == {k: v["amount"] for k, v in e2e_business.totals["lost_disputes"].items()}


def test_net_revenue_report(marts, e2e_business):
    got = rows(
        marts,
        "select strftime(month, '%Y-%m'), currency, net_minor from marts.rpt_revenue_monthly",
    )
    want = dict(e2e_business.totals["net_revenue"])
    # Months with no activity at all are absent from the report, not zero rows.
    assert {k: v for k, v in got.items() if v or k in want} == want


def test_tax_by_rate(marts, e2e_business):
    got = {
        (country, Decimal(str(rate)), currency): (tax, taxable)
        for country, rate, currency, tax, taxable in marts.sql(
            "select country, percentage, currency, tax_minor, taxable_minor "
            "from marts.rpt_tax_by_rate"
        ).fetchall()
    }
    want = {
        (country, Decimal(rate), currency): (v["tax"], v["taxable"])
        for (country, rate, currency), v in e2e_business.totals["tax"].items()
    }
    assert got == want


def test_row_counts_follow_the_business(marts, e2e_business):
    counts = e2e_business.totals["counts"]
    for mart, entity in [
        ("fct_payments", "charges"),
        ("fct_refunds", "refunds"),
        ("fct_disputes", "disputes"),
        ("fct_subscriptions", "subscriptions"),
        ("fct_invoices", "invoices"),
    ]:
        (n,) = marts.sql(f"select count(*) from marts.{mart}").fetchall()[0]
        assert n == counts[entity], mart


def test_money_columns_are_integers(marts):
    bad = marts.sql(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and column_name like '%\\_minor' escape '\\' "
        "and data_type <> 'BIGINT'"
    ).fetchall()
    assert bad == []


def test_the_snapshot_records_the_builds_data_quality(marts):
    """Every dbt test of the build that produced the snapshot, one row each (the sandbox
    business is clean: all pass), the build's status, and the email rule as a macro."""
    import json
    from pathlib import Path

    manifest = json.loads(
        (
            Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "manifest.json"
        ).read_text()
    )
    tests = sum(1 for uid in manifest["nodes"] if uid.startswith("test."))
    assert marts.sql("select status, count(*) from marts._data_quality group by 1").fetchall() == [
        ("pass", tests)
    ]
    assert marts.sql(
        "select status, last_success_at = finished_at, message from marts._build_status"
    ).fetchall() == [("success", True, None)]
    assert marts.sql("select marts.normalize_email('\u00a0 Ana@Example.COM\t')").fetchall() == [
        ("ana@example.com",)
    ]
