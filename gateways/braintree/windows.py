"""Braintree search windows: range criteria as the SDK sends them, and windows under the cap.

Braintree answers a search with at most its cap of results (20,000 transaction ids, 10,000 of
anything else) and says nothing of the rest: a window whose count reaches the cap is
incomplete, so it is halved and both halves are searched again, oldest first, until each is
under the cap. A date field (disbursement_date, received_date ...) compares by whole day, so
its windows are halved on day boundaries. A single day at the cap is searched again with a
second criterion, `created_at` sub-ranges within it (TransactionSearch ANDs its criteria),
halved in turn; a window still at the cap when nothing is left to halve (one second) is an
error naming the window, never read as complete. The listing's `created_at` windows and the
change feed's status-date windows both go through `complete_windows`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

from gateways.errors import GatewayServerError

DAY = 86_400
DATE_FIELDS = frozenset({"disbursement_date", "dispute_date", "effective_date", "received_date"})
T = TypeVar("T")


def when(ts: int, field: str) -> datetime:
    """A criterion value: a datetime (the SDK sends both kinds as `type="datetime"`)."""
    value = datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)
    if field in DATE_FIELDS:
        value = value.replace(hour=0, minute=0, second=0)
    return value


def between(field: str, low: int, high: int) -> dict[str, Any]:
    return {field: {"min": when(low, field), "max": when(high, field)}}


def after(field: str, ts: int) -> int:
    """Where the window after one ending at `ts` starts: the next second, or for a date field
    the next day (the day of `ts` was searched whole; starting within it reads it again)."""
    return (ts // DAY + 1) * DAY if field in DATE_FIELDS else ts + 1


def halves(field: str, low: int, high: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """[low, high] in two, or None when it cannot be split (one second, or one day of a date
    field: the gateway compares those by day, so halves within a day would overlap)."""
    if field in DATE_FIELDS:
        first, last = low // DAY, high // DAY
        if last <= first:
            return None
        mid = (first + last) // 2 * DAY + DAY - 1  # the last second of the middle day
        return (low, mid), (mid + 1, high)
    if high <= low:
        return None
    mid = (low + high) // 2
    return (low, mid), (mid + 1, high)


def complete_windows(
    search: Callable[[dict[str, Any]], tuple[int, T]],
    cap: int,
    field: str,
    low: int,
    high: int,
    label: str,
    within: tuple[str, int] | None = None,
) -> Iterator[tuple[int, int, dict[str, Any], T]]:
    """(low, high, criteria, answer) of windows covering [low, high], oldest first, each
    under the cap.

    `search(criteria)` -> (how many the gateway found, its answer): an id list's length, or a
    dispute page's `total_items`. A window at the cap is halved and searched again; a day of a
    date field at the cap is split by `within` (a second field and its floor: `created_at`
    from the listing's start to the day's end, as nothing changes before it is created)."""
    pending: list[tuple[int, int, tuple[int, int] | None]] = [(low, high, None)]
    while pending:
        lo, hi, sub = pending.pop(0)
        criteria = between(field, lo, hi) | (between(within[0], *sub) if within and sub else {})
        count, answer = search(criteria)
        if count < cap:
            yield lo, hi, criteria, answer
            continue
        split = halves(field, lo, hi) if sub is None else halves(within[0], *sub)  # type: ignore[index]
        if split is not None:
            pending[0:0] = [(lo, hi, part) if sub else (*part, None) for part in split]
        elif sub is None and within is not None and field in DATE_FIELDS:
            pending.insert(0, (lo, hi, (within[1], (hi // DAY + 1) * DAY - 1)))
        else:
            raise GatewayServerError(
                label, f"search {criteria}", f"{count} results reach the cap of {cap}: the "
                "window cannot be split further, and Braintree does not say what it left out",
            )  # fmt: skip


def page_size(body: dict[str, Any], default: int = 50) -> int:
    """The page size a search answer gives (`default` when it gives none or nonsense)."""
    try:
        size = int(body.get("page_size") or default)
    except (TypeError, ValueError):
        return default
    return size if size > 0 else default


def parse_token(token: str) -> tuple[int, int | None, int]:
    """A resume token `<start>:<end>:<offset>` (end empty: onwards from start)."""
    start, end, offset = token.split(":")
    return int(start), (int(end) if end else None), int(offset)
