"""The lookup page on the published snapshot of the hand-written account (conftest.py):
lookups by customer id without billing, by payment intent id, by a messy email through
the snapshot's own normalization macro, LIKE wildcards taken literally, the data-quality
and stale-data notices, and clean errors instead of tracebacks. Expected values are written
by hand from tests/dbt/edge_cases.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.lib.data_quality import BuildState
from pipelines.lib.publish import mark_snapshot_stale, snapshot_path
from tests.dashboards.conftest import KEY_ENV, write_config

PAGE = str(Path(__file__).resolve().parents[2] / "dashboards" / "app_pages" / "customer_lookup.py")


def run_page(term: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    if term is not None:
        at.sidebar.text_input(key="lookup_term").input(term).run()
    assert not at.exception, at.exception
    return at


def shown_rows(at: AppTest) -> list[tuple[str, str]]:
    (table,) = at.dataframe
    return sorted(zip(table.value["object_id"], table.value["event_type"], strict=True))


def test_a_customer_without_billing_events_is_found_by_id(dashboard_env):
    at = run_page("cus_e4")
    assert [s.value for s in at.subheader] == ["Quiet Person"]
    assert shown_rows(at) == []


def test_a_payment_intent_id_finds_its_customer(dashboard_env):
    at = run_page("pi_e4")
    assert [s.value for s in at.subheader] == ["zoë .ng@example.com"]
    # Its invoices carry no status transitions, so no invoice milestone.
    assert shown_rows(at) == [
        ("ch_e3", "payment_pending"),
        ("ch_e4", "payment_succeeded"),
        ("re_e4a", "refund_succeeded"),
        ("re_e4b", "refund_failed"),
        ("re_e4c", "refund_canceled"),
        ("re_e4d", "refund_pending"),
    ]


def test_a_messy_email_is_normalized_by_the_snapshots_rule(dashboard_env):
    # No-break space and tab around, upper case, a decomposed ë: cus_e1 and cus_e2.
    at = run_page("\u00a0 ZOE\u0308.NG@EXAMPLE.COM\t")
    assert [s.value for s in at.subheader] == ["Zoë Ng"]
    assert "cus_e1, cus_e2" in at.caption[0].value
    # The inner space is kept: that address is the other person.
    at = run_page(" zoë .ng@example.com ")
    assert "cus_e3" in at.caption[0].value and "cus_e1" not in at.caption[0].value


@pytest.mark.parametrize("term", ["%", "_", "%%", "z_e"])
def test_like_wildcards_are_literal(dashboard_env, term):
    at = run_page(term)
    assert [w.value for w in at.warning if "No customer matches" in w.value] == [
        f"No customer matches '{term}'."
    ]


def test_a_fragment_lists_every_person_containing_it(dashboard_env):
    at = run_page("ng@example")
    (box,) = at.selectbox
    assert sorted(box.options) == sorted(
        ["Zoë Ng <zoë.ng@example.com>", "(no name) <zoë .ng@example.com>"]
    )


def test_the_data_quality_notice_lists_the_warnings(dashboard_env, warned_build):
    at = run_page()
    (notice,) = [w.value for w in at.warning if "Data-quality warnings" in w.value]
    # The XTS charge is outside the currencies seed; re_orphan's charge never landed.
    assert "relationships_stg_stripe__charges_currency" in notice
    assert "(fct_refunds): 1 rows" in notice
    assert not at.error


def test_a_failed_build_says_the_data_is_stale_and_since_when(
    dashboard_env, warned_build, tmp_path
):
    _, _, published = warned_build
    copy = tmp_path / "published"
    shutil.copytree(published, copy)
    dashboard_env["LEDGERDESK_CONFIG"] = str(write_config(tmp_path, copy))
    from datetime import datetime

    failed = BuildState(
        succeeded=False,
        finished_at=datetime(2026, 12, 1, 18, 5),
        outcomes=(),
        errors=("unique_fct_payments_payment_id: Got 2 results",),
    )
    assert mark_snapshot_stale(copy, failed)
    at = run_page("cus_e4")
    (stale,) = [e.value for e in at.error]
    assert "stale" in stale and "2026-12-01 18:05 UTC" in stale
    assert "unique_fct_payments_payment_id" in stale
    # It still answers from the last good snapshot.
    assert [s.value for s in at.subheader] == ["Quiet Person"]
    assert snapshot_path(copy).exists()


def test_no_gateway_key_is_needed(dashboard_env, warned_build, tmp_path):
    _, _, published = warned_build
    config = write_config(tmp_path, published)
    dashboard_env["LEDGERDESK_CONFIG"] = str(config)
    dashboard_env.pop(KEY_ENV)
    at = run_page("cus_e4")
    assert [e.value for e in at.error] == []
    assert [s.value for s in at.subheader] == ["Quiet Person"]


def test_a_broken_configuration_shows_no_traceback_or_path(dashboard_env, tmp_path):
    bad = tmp_path / "ledgerdesk.yaml"
    bad.write_text("accounts: [\n")
    dashboard_env["LEDGERDESK_CONFIG"] = str(bad)
    at = run_page("cus_e4")
    (error,) = [e.value for e in at.error]
    assert "configuration cannot be read" in error
    assert str(tmp_path) not in error and "Traceback" not in error


def test_money_is_shown_with_the_iso_exponent_of_the_marts(dashboard_env):
    # cus_isk paid 270000 ISK in Stripe's units (2,700 kronur: 2700 ISO minor units in the
    # marts, ISO gives ISK no decimals) and 270050, no whole krona, NULL in the marts; a
    # refund of 1,000 kr and a dispute of 500 kr (tests/dbt/edge_cases.warning_objects).
    at = run_page("cus_isk")
    assert [s.value for s in at.subheader] == ["Björk Guðmundsdóttir"]
    (paid,) = [m for m in at.metric if m.label == "Paid (ISK)"]
    assert paid.value == "2,700 ISK"
    (table,) = at.dataframe
    amounts = dict(zip(table.value["object_id"], table.value["amount"], strict=True))
    assert amounts == {
        "ch_isk": "2,700 ISK",
        "ch_isk_cents": "",
        "re_isk": "1,000 ISK",  # 100000 in Stripe's units
        "dp_isk": "500 ISK",
    }
