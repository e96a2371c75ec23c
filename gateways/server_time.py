"""The gateway's clock, read from its answer's `Date` header (RFC 7231, always UTC).

Every transport stamps a page with the time the gateway served it (a row's `version_at`), so
that versions compare with the gateway's own event and change times; a missing or unreadable
header falls back to our clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime


def server_time(headers: Mapping[str, str], fallback: Callable[[], float]) -> int:
    """Seconds since the epoch of the `date` header (lower-case names), else `fallback()`."""
    date = headers.get("date")
    if date:
        try:
            return int(parsedate_to_datetime(date).timestamp())
        except (TypeError, ValueError):
            pass
    return int(fallback())
