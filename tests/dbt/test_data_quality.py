"""Data quality warns, structure blocks: on the hand-written account plus what real data
has (edge_cases.warning_objects), `dbt build` succeeds and records exactly the expected
warnings; a broken key (a charge without its status) fails it, and the failure is recorded.
The builds are the pipeline's transform step (tests/transform_runs.py: Dagster's dbt assets,
which record the build's state as the dashboards read it), shared with the Dagster tests of
tests/pipelines/test_end_to_end.py; the direct dbt path of recording is the dashboards'
warned_build."""

from __future__ import annotations

import duckdb
import pytest


def _recorded(warehouse):
    """(build_status rows, data_quality rows not passing): what the build recorded."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        status = con.sql(
            "select status, last_success_at, finished_at, message from ledgerdesk.build_status"
        ).fetchall()
        failing = con.sql(
            "select check_name, model, severity, status, failures from ledgerdesk.data_quality "
            "where status <> 'pass' order by all"
        ).fetchall()
    finally:
        con.close()
    return status, failing


@pytest.fixture(scope="module")
def warned(dagster_transform):
    assert dagster_transform["warned"].success
    warehouse = dagster_transform["warned_warehouse"]
    return (warehouse, *_recorded(warehouse))


@pytest.fixture(scope="module")
def broken(dagster_transform):
    warehouse = dagster_transform["settings"].warehouse_path
    return dagster_transform["broken"], dagster_transform["warned_warehouse"], _recorded(warehouse)


def test_real_data_problems_warn_and_the_build_goes_on(warned):
    warehouse, status, got = warned
    assert [(s, last == finished, message) for s, last, finished, message in status] == [
        ("success", True, None)
    ]
    assert got == [
        # The ISK charge of 270050 (Stripe's units): two of its amounts are no whole krona.
        ("assert_gateway_amounts_convert_exactly", "stg_stripe__invoice_lines", "warn", "warn", 2),
        ("not_null_fct_payments_amount_minor", "fct_payments", "warn", "warn", 1),
        ("not_null_int_payments_unioned_amount_minor", "int_payments_unioned", "warn", "warn", 1),
        ("relationships_fct_customer_revenue_currency__currency__ref_currencies_",
         "fct_customer_revenue", "warn", "warn", 1),
        ("relationships_fct_customer_timeline_currency__currency__ref_currencies_",
         "fct_customer_timeline", "warn", "warn", 1),
        ("relationships_fct_payments_currency__currency__ref_currencies_",
         "fct_payments", "warn", "warn", 1),
        ("relationships_fct_refunds_payment_id__payment_id__ref_fct_payments_",
         "fct_refunds", "warn", "warn", 1),
        ("relationships_int_payments_unioned_currency__currency__ref_currencies_",
         "int_payments_unioned", "warn", "warn", 1),
        ("relationships_int_refunds_unioned_payment_id__payment_id__ref_int_payments_unioned_",
         "int_refunds_unioned", "warn", "warn", 1),
        ("relationships_rpt_revenue_monthly_currency__currency__ref_currencies_",
         "rpt_revenue_monthly", "warn", "warn", 1),
        ("relationships_stg_stripe__charges_currency__currency__ref_currencies_",
         "stg_stripe__charges", "warn", "warn", 1),
    ]  # fmt: skip
    # The marts were built, the odd rows included; the ISK amounts that are no whole krona
    # are NULL there (never rounded, never summed), and the warning lists them.
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.sql(
            "select source_payment_id, currency, amount_minor, amount_captured_minor, "
            "amount_major from marts.fct_payments "
            "where currency not in ('USD', 'EUR') order by 1"
        ).fetchall()
        revenue = con.sql(
            "select strftime(month, '%Y-%m'), gross_minor, refunds_minor, disputes_lost_minor, "
            "net_minor, net_major from marts.rpt_revenue_monthly where currency = 'ISK' "
            "order by 1"
        ).fetchall()
        refunds = con.sql(
            "select source_refund_id, amount_minor, amount_major from marts.fct_refunds "
            "where currency = 'ISK'"
        ).fetchall()
        disputes = con.sql(
            "select source_dispute_id, amount_minor, amount_major from marts.fct_disputes "
            "where currency = 'ISK'"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("ch_isk", "ISK", 2700, 2700, 2700),
        ("ch_isk_cents", "ISK", None, None, None),
        ("ch_xts", "XTS", 100, 100, None),
    ]
    # Kronur in ISO minor units (ISO gives ISK no decimals): Stripe's 270000 is 2700.
    assert revenue == [("2025-04", 2700, 0, 0, 2700, 2700), ("2025-05", 0, 1000, 500, -1500, -1500)]
    assert refunds == [("re_isk", 1000, 1000)] and disputes == [("dp_isk", 500, 500)]


def test_a_broken_key_blocks_and_the_failure_is_recorded(broken):
    result, warned_warehouse, (status, failing) = broken
    assert not result.success
    ((_, last_success, _, _),) = _recorded(warned_warehouse)[0]
    ((state, last_success_at, _, message),) = status
    assert (state, last_success_at) == ("failed", last_success)  # the last success stays
    assert [error.split(":")[0] for error in message.split("; ")] == [
        "not_null_stg_stripe__charges_status"
    ]
    assert ("not_null_stg_stripe__charges_status", "stg_stripe__charges", "error", "fail", 1) in (
        failing
    )
