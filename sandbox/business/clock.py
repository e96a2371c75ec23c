"""The fixed history window and calendar arithmetic in UTC Unix seconds (no wall clock)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

HISTORY_START = int(datetime(2025, 5, 1, tzinfo=UTC).timestamp())
HISTORY_END = int(datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC).timestamp())
DAY = 86_400
# Stripe keeps 30 days of events: the rendered events are those created at or after this.
EVENTS_SINCE = HISTORY_END + 1 - 30 * DAY
# An uncaptured card authorization expires seven days after it was made (Stripe cancels it
# then, Braintree serves it `authorization_expired`).
AUTH_EXPIRES = 7 * DAY


def add_months(ts: int, months: int) -> int:
    """Same day-of-month and time `months` later, clamped to the month's last day (like Stripe)."""
    d = datetime.fromtimestamp(ts, UTC)
    total = d.month - 1 + months
    year, month = d.year + total // 12, total % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return int(d.replace(year=year, month=month, day=day).timestamp())


def period_end(start: int, interval: str) -> int:
    return add_months(start, 12 if interval == "year" else 1)


def month_key(ts: int) -> str:
    """'YYYY-MM' of a UTC timestamp."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m")


def month_ends() -> list[tuple[str, int]]:
    """(month, last second of that month) for every month of the history."""
    out = []
    start = HISTORY_START
    while start <= HISTORY_END:
        nxt = add_months(start, 1)
        out.append((month_key(start), nxt - 1))
        start = nxt
    return out
