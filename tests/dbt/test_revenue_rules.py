"""The revenue rules on the hand-written account of edge_cases.py: every
expected row is written by hand from the comments there (whole tables, counts included),
never computed with the models' own rule."""

from __future__ import annotations


def _all(con, sql: str) -> list[tuple]:
    return con.sql(sql).fetchall()


def test_monthly_revenue_by_the_contract_rules(edge):
    got = _all(
        edge,
        "select strftime(month, '%Y-%m'), currency, gross_minor, refunds_minor, "
        "disputes_lost_minor, net_minor, payments_count, refunds_count, disputes_lost_count, "
        "disputes_lost_estimated_count from marts.rpt_revenue_monthly order by 1, 2",
    )
    assert got == [
        # ch_e6 3000 (its customer deleted since); dp_e6 lost, closing never seen: January.
        ("2025-01", "EUR", 3000, 0, 3000, 0, 1, 0, 1, 1),
        # ch_e5 5000; its dispute opened in February but closed in April.
        ("2025-02", "EUR", 5000, 0, 0, 5000, 1, 0, 0, 0),
        # ch_e1 1000 (older shape); ch_e2 an uncaptured authorization is no payment; ch_e3
        # pending on the last second does not count; the release of ch_e2 (re_e2) is no refund.
        ("2025-03", "USD", 1000, 0, 0, 1000, 1, 0, 0, 0),
        # dp_e5 closed 2025-04-02 (first charge.dispute.closed event; the later one ignored).
        ("2025-04", "EUR", 0, 0, 5000, -5000, 0, 0, 1, 0),
        # ch_e4 2000 on the first second of April; re_e4a 300 succeeded counts; failed,
        # canceled and pending refunds do not.
        ("2025-04", "USD", 2000, 300, 0, 1700, 1, 1, 0, 0),
    ]


def test_lifetime_revenue_per_person(edge):
    got = _all(
        edge,
        "select dim_customers.email_normalized, currency, gross_minor, refunds_minor, "
        "disputes_lost_minor, net_minor, fct_customer_revenue.succeeded_payments_count "
        "from marts.fct_customer_revenue join marts.dim_customers using (person_id) "
        "order by 1, 2",
    )
    assert got == [
        ("zoë .ng@example.com", "USD", 2000, 300, 0, 1700, 1),
        ("zoë.ng@example.com", "EUR", 5000, 0, 5000, 0, 1),
        ("zoë.ng@example.com", "USD", 1000, 0, 0, 1000, 1),  # ch_e2 captured nothing
    ]


def test_refund_and_dispute_flags(edge):
    refunds = _all(
        edge,
        "select source_refund_id, status, is_authorization_release, is_revenue_refund "
        "from marts.fct_refunds order by 1",
    )
    assert refunds == [
        ("re_e2", "succeeded", True, False),
        ("re_e4a", "succeeded", False, True),
        ("re_e4b", "failed", False, False),
        ("re_e4c", "canceled", False, False),
        ("re_e4d", "pending", False, False),
    ]
    disputes = _all(
        edge,
        "select source_dispute_id, status, strftime(closed_at, '%Y-%m-%d %H:%M:%S'), "
        "is_closed_at_estimated from marts.fct_disputes order by 1",
    )
    assert disputes == [
        ("dp_e5", "lost", "2025-04-02 10:00:00", False),
        ("dp_e6", "lost", None, True),
    ]


def test_timeline_shows_the_loss_when_the_dispute_closed(edge):
    got = _all(
        edge,
        "select event_id, strftime(event_at, '%Y-%m-%d %H:%M:%S') "
        "from marts.fct_customer_timeline where object_type = 'dispute' order by 1",
    )
    # dp_e6 belongs to the deleted customer: no person, so not on any timeline.
    assert got == [
        ("stripe:main:dp_e5:dispute_lost", "2025-04-02 10:00:00"),
        ("stripe:main:dp_e5:dispute_opened", "2025-02-20 00:00:00"),
    ]
