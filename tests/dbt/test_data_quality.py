"""Data quality warns, structure blocks: on the hand-written account plus what real data
has (edge_cases.warning_objects), `dbt build` succeeds and reports exactly the expected
warnings; a broken key fails it. The recorded state is what the dashboards read."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.lib.data_quality import build_state, record_build
from tests.dbt.conftest import run_dbt
from tests.dbt.edge_cases import edge_case_objects, warning_objects
from tests.dbt.raw_warehouse import load_raw_stripe


def _build(tmp_path_factory, name: str, objects):
    work = tmp_path_factory.mktemp(name)
    warehouse = work / "warehouse.duckdb"
    load_raw_stripe(warehouse, objects)
    run = run_dbt(["build"], warehouse, work)
    results = json.loads((run.target_dir / "run_results.json").read_text())
    manifest = json.loads((run.target_dir / "manifest.json").read_text())
    return warehouse, run, build_state(results, manifest, run.returncode == 0)


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    return _build(tmp_path_factory, "dq_warned", warning_objects())


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    objects = edge_case_objects()
    objects["charges"][0] = {k: v for k, v in objects["charges"][0].items() if k != "status"}
    return _build(tmp_path_factory, "dq_broken", objects)


def test_real_data_problems_warn_and_the_build_goes_on(warned):
    warehouse, run, state = warned
    assert run.returncode == 0, run.output[-4000:]
    assert state.succeeded and state.errors == ()
    got = sorted((o.check_name, o.model, o.severity, o.status, o.failures)
                 for o in state.outcomes if o.status != "pass")  # fmt: skip
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
    listed = next(o for o in state.outcomes if o.check_name.startswith("assert_gateway_amounts"))
    assert listed.failures == 2


def test_a_broken_key_blocks_and_the_failure_is_recorded(broken):
    warehouse, run, state = broken
    assert run.returncode != 0
    assert not state.succeeded
    assert [e.split(":")[0] for e in state.errors] == ["not_null_stg_stripe__charges_status"]
    record_build(warehouse, state)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        status = con.sql(
            "select status, last_success_at is null, message from ledgerdesk.build_status"
        ).fetchall()
        failing = con.sql(
            "select check_name, severity, status, failures from ledgerdesk.data_quality "
            "where status <> 'pass' order by 1"
        ).fetchall()
    finally:
        con.close()
    assert status == [("failed", True, state.message)]
    assert ("not_null_stg_stripe__charges_status", "error", "fail", 1) in failing
