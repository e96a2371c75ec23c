"""Braintree search windows at the cap (gateways/braintree/windows.py), against a search that
answers as Braintree does (criteria ANDed, ranges inclusive, a date field compared by day, at
most the cap of results): a capped day of a date field is split by created_at within it and
read whole; a window still capped when nothing is left to split is an error naming it."""

from __future__ import annotations

from calendar import timegm
from datetime import datetime

import pytest

from gateways.braintree.windows import DATE_FIELDS, DAY, complete_windows
from gateways.errors import GatewayServerError

DISBURSED = 20_000 * DAY  # one day
CAP = 4


def _seconds(value: datetime) -> int:
    return timegm(value.timetuple())


def braintree_search(objects: list[dict[str, int]]):
    """search(criteria) -> (count, ids) of `objects` ({"id", field: ts ...}), capped."""

    def search(criteria):
        def matches(obj):
            for field, bounds in criteria.items():
                low, high = _seconds(bounds["min"]), _seconds(bounds["max"])
                if field in DATE_FIELDS:
                    low, high = low // DAY * DAY, high // DAY * DAY + DAY - 1
                if not low <= obj[field] <= high:
                    return False
            return True

        ids = [o["id"] for o in objects if matches(o)][:CAP]
        return len(ids), ids

    return search


def _disbursed(created: list[int]) -> list[dict[str, int]]:
    return [
        {"id": f"t{i}", "created_at": c, "disbursement_date": DISBURSED + 3600}
        for i, c in enumerate(created)
    ]


def test_a_capped_day_is_split_by_created_at_and_read_whole():
    created = [DISBURSED - k * 5000 for k in range(11)]  # eleven on one disbursement day
    search = braintree_search(_disbursed(created))
    windows = list(
        complete_windows(
            search, CAP, "disbursement_date", DISBURSED - DAY, DISBURSED + DAY - 1, "acct",
            ("created_at", DISBURSED - 30 * DAY),
        )
    )  # fmt: skip
    found = sorted(i for *_, ids in windows for i in ids)
    assert found == sorted(f"t{i}" for i in range(11))
    assert all(len(ids) < CAP for *_, ids in windows)
    assert all("created_at" in criteria for _, _, criteria, ids in windows if ids)


def test_a_window_capped_in_one_second_is_an_error_naming_it():
    search = braintree_search(_disbursed([DISBURSED - 60] * CAP))  # four created at once
    with pytest.raises(GatewayServerError) as failed:
        list(
            complete_windows(
                search, CAP, "disbursement_date", DISBURSED, DISBURSED, "acct",
                ("created_at", DISBURSED - 30 * DAY),
            )
        )  # fmt: skip
    message = str(failed.value)
    assert "disbursement_date" in message and "created_at" in message
    assert "reach the cap of 4" in message


def test_a_capped_day_with_no_second_criterion_is_an_error():
    """DisputeSearch has no created_at: a capped received_date day cannot be split."""
    objects = [{"id": f"d{i}", "received_date": DISBURSED + i} for i in range(CAP)]
    with pytest.raises(GatewayServerError, match="received_date"):
        list(complete_windows(braintree_search(objects), CAP, "received_date", 0, DISBURSED, "a"))
