"""The whole path, through the real launcher: the Stripe SDK's transport against the sandbox
over loopback, Dagster jobs in process, dbt build with its tests, the published snapshot.
The marts must equal the sandbox business's own figures to the minor unit."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from pipelines.lib.publish import snapshot_path
from tests.truth import REVENUE_ROWS_SQL, iso_minor, revenue_rows


@pytest.fixture(scope="module")
def marts(e2e_run):
    assert e2e_run["ok"], "the pipeline run failed: see the log above"
    con = duckdb.connect(str(snapshot_path(e2e_run["settings"].published_dir)), read_only=True)
    yield con
    con.close()


def rows(con, sql: str) -> dict:
    return {tuple(r[:-1]): r[-1] for r in con.sql(sql).fetchall()}


def test_monthly_revenue_report_equals_the_business(marts, e2e_business):
    """rpt_revenue_monthly whole, counts included, against the generator's own figures."""
    expected = revenue_rows(e2e_business.totals)
    assert marts.sql(REVENUE_ROWS_SQL).fetchall() == expected
    assert any(row[3] for row in expected) and any(row[4] for row in expected)


def test_net_revenue_of_each_person_adds_up_to_the_report(marts, e2e_business):
    expected: dict[str, int] = {}
    for (_, currency), amount in e2e_business.totals["net_revenue"].items():
        expected[currency] = expected.get(currency, 0) + iso_minor(amount, currency)
    got = marts.sql(
        "select currency, sum(net_minor)::bigint from marts.fct_customer_revenue "
        "group by all order by 1"
    ).fetchall()
    assert got == sorted(expected.items())


def test_tax_by_rate(marts, e2e_business):
    got = marts.sql(
        "select country, percentage, currency, is_reverse_charge, taxable_minor, tax_minor, "
        "invoices_count from marts.rpt_tax_by_rate order by all"
    ).fetchall()
    want = sorted(
        (country, Decimal(rate), currency, v["taxability_reason"] == "reverse_charge",
         iso_minor(v["taxable"], currency), iso_minor(v["tax"], currency), v["invoices"])
        for (country, rate, currency), v in e2e_business.totals["tax"].items()
    )  # fmt: skip
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


# --- Through Dagster, on the hand-written account: warnings publish, structure blocks. ---
# (tests/transform_runs.py's two runs, shared with tests/dbt/test_data_quality.py.)
def test_warnings_are_asset_checks_and_the_snapshot_is_published(dagster_transform):
    import dagster as dg

    warned = dagster_transform["warned"]
    assert warned.success
    failed_checks = sorted(
        (e.asset_key.path[-1], e.severity)
        for e in warned.get_asset_check_evaluations()
        if not e.passed
    )
    warn = dg.AssetCheckSeverity.WARN
    # The same eleven warnings as tests/dbt/test_data_quality.py, each on its asset: an
    # unknown currency, a refund without its payment, an ISK amount that is no whole krona.
    assert failed_checks == [
        ("fct_customer_revenue", warn),
        ("fct_customer_timeline", warn),
        ("fct_payments", warn),
        ("fct_payments", warn),
        ("fct_refunds", warn),
        ("int_payments_unioned", warn),
        ("int_payments_unioned", warn),
        ("int_refunds_unioned", warn),
        ("rpt_revenue_monthly", warn),
        ("stg_stripe__charges", warn),
        ("stg_stripe__charges", warn),  # the exact-conversion test, on its first model
    ]
    (snapshot,) = [
        e.materialization
        for e in warned.get_asset_materialization_events()
        if e.asset_key.path == ["published", "marts_snapshot"]
    ]
    assert snapshot.metadata["data_quality.warnings"].value == 11


def test_a_structural_failure_publishes_nothing_and_stamps_the_snapshot_stale(dagster_transform):
    broken, settings = dagster_transform["broken"], dagster_transform["settings"]
    assert not broken.success
    published = [e.asset_key.path for e in broken.get_asset_materialization_events()]
    assert ["published", "marts_snapshot"] not in published
    with duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True) as con:
        assert (
            con.sql("select published_at from marts._published").fetchall()
            == (dagster_transform["first"])
        )
        status = con.sql(
            "select status, last_success_at <= (select published_at from marts._published), "
            "message from marts._build_status"
        ).fetchall()
        warnings = con.sql(
            "select count(*) from marts._data_quality where status = 'warn'"
        ).fetchall()
    assert [(s, ok) for s, ok, _ in status] == [("failed", True)]
    assert "not_null_stg_stripe__charges_status" in status[0][2]
    assert warnings == [(11,)]  # the warnings of the build that produced the data shown
