"""Stripe payments by canonical status on the rendered sandbox business: an authorization
never captured whose payment intent was canceled (released by the merchant or lapsed) is
`canceled`, as Braintree's voided or expired and PayPal's voided authorization; its refund is
still an authorization release, never a revenue refund (DECISIONLOG.md). The expected tables
are the generator's charges by their own facts and its `cases`, never the models' SQL."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest


@pytest.fixture(scope="module")
def warehouse(built_warehouse):
    path, run = built_warehouse
    assert run.returncode == 0, run.output[-6000:]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _expected_key(c) -> tuple[str, str, bool]:
    captured = c.captured and c.status != "failed"  # Stripe: a declined charge captured nothing
    if c.status == "succeeded" and not captured and c.released_at is not None:
        return ("canceled", "succeeded", False)
    return (c.status, c.status, captured)


def test_payments_by_status_are_the_generators_charges(warehouse, sandbox_business):
    expected = Counter(_expected_key(c) for c in sandbox_business.charges)
    rows = warehouse.sql(
        "select status, source_status, is_captured, count(*) "
        "from intermediate.int_stripe__payments group by 1, 2, 3"
    ).fetchall()
    assert {(s, src, cap): n for s, src, cap, n in rows} == dict(expected)
    cases = sandbox_business.totals["cases"]
    assert expected[("canceled", "succeeded", False)] == cases["authorizations_released"]
    assert cases["authorizations_lapsed"] >= 1
    assert cases["authorizations_released"] > cases["authorizations_lapsed"]
    assert expected[("succeeded", "succeeded", False)] >= 1  # open authorizations stay


def test_released_authorizations_keep_their_refund_and_count_no_refund(warehouse, sandbox_business):
    rows = warehouse.sql(
        "select payments.status, refunds.status, refunds.is_revenue_refund, count(*) "
        "from marts.fct_refunds as refunds join marts.fct_payments as payments "
        "on refunds.payment_id = payments.payment_id "
        "where refunds.is_authorization_release group by 1, 2, 3"
    ).fetchall()
    releases = sandbox_business.totals["cases"]["authorizations_released"]
    assert rows == [("canceled", "succeeded", False, releases)]
