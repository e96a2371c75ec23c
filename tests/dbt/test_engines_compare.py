"""The marts comparison itself (tests/dbt/engines.py), on hand-written rows: the same exact
number written two ways is equal, but a float never passes for an exact number (Python's
1200.0 == Decimal(1200) would let it), a money column holds integers only, a text never
passes for a timestamp, and a differing row is named."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tests.dbt.engines import differences, table_of

COLUMNS = ("payment_id", "amount_minor", "amount_major", "paid_at", "is_refunded")
AT = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def _diff(left_rows, right_rows) -> list[str]:
    return differences(
        "marts.fct_payments",
        table_of(COLUMNS, left_rows),
        table_of(COLUMNS, right_rows),
        ("duckdb", "spark"),
    )


def test_the_same_exact_values_are_equal():
    # an int and PostgreSQL's numeric of scale 0; 12.50 and 12.5; an aware and a naive UTC time
    left = [("py_1", 1250, Decimal("12.50"), AT, False), ("py_2", None, None, None, None)]
    right = [
        ("py_1", Decimal("1250"), Decimal("12.5"), AT.replace(tzinfo=None), False),
        ("py_2", None, None, None, None),
    ]
    assert _diff(left, right) == []


def test_a_float_never_passes_for_an_exact_number():
    problems = _diff(
        [("py_1", 1250, Decimal("12.5"), AT, False)], [("py_1", 1250, 12.5, AT, False)]
    )
    assert problems == ["marts.fct_payments.amount_major: decimal on duckdb, float on spark"]


def test_money_in_minor_units_is_integers_on_each_engine():
    problems = _diff(
        [("py_1", 1250.0, Decimal("12.5"), AT, False)],
        [("py_1", 1250.0, Decimal("12.5"), AT, False)],
    )
    assert problems == [
        "marts.fct_payments.amount_minor: money in minor units must be integers, on duckdb float",
        "marts.fct_payments.amount_minor: money in minor units must be integers, on spark float",
    ]


def test_text_never_passes_for_a_timestamp_and_rows_are_compared():
    problems = _diff(
        [("py_1", 1, None, AT, False)], [("py_1", 1, None, "2026-01-05 10:00:00", False)]
    )
    assert problems == ["marts.fct_payments.paid_at: timestamp on duckdb, text on spark"]
    problems = _diff([("py_1", 1250, None, AT, False)], [("py_1", 1251, None, AT, False)])
    assert problems[0].startswith("marts.fct_payments: 1 rows on duckdb, 1 on spark; 1 only on")
    assert len(problems) == 3  # the summary, then each side's row
