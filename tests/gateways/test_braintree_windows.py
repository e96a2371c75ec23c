"""Braintree search windows at the cap (gateways/braintree/windows.py), against a search that
answers as Braintree does (criteria ANDed, ranges inclusive, a date field compared by day, at
most the cap of results): a capped day of a date field is split by created_at within it and
read whole; a window still capped when nothing is left to split is an error naming it."""

from __future__ import annotations

import time
from calendar import timegm
from collections import Counter
from dataclasses import replace
from datetime import datetime

import pytest

from gateways.base import ChangeCursor
from gateways.braintree.entities import ENTITIES
from gateways.braintree.reader import BraintreeReader
from gateways.braintree.windows import DATE_FIELDS, DAY, complete_windows
from gateways.errors import GatewayServerError
from sandbox.braintree.business import braintree_share
from sandbox.braintree.server import serve
from sandbox.braintree.store import BraintreeStore
from sandbox.business import generate
from tests.gateways.test_braintree_changes import account

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


def test_the_reader_reads_a_capped_disbursement_day_whole_from_the_sandbox(monkeypatch):
    """Against the local gateway (criteria ANDed, at most the cap of ids, as Braintree): with a
    cap of 3, days with four disbursed transactions are split by created_at, and every
    transaction disbursed in the lookback is found, once."""
    store = BraintreeStore(braintree_share(generate(42, 0.1)))
    disbursed = sorted(
        i for i, r in store.records["transactions"].items() if r.fields.get("disbursement_date")
    )
    per_day = Counter(
        v // DAY for r in store.records["transactions"].values()
        for v in r.fields.get("disbursement_date", [])
    )  # fmt: skip
    assert max(per_day.values()) > 3
    only = replace(ENTITIES["transactions"], status_dates=("disbursement_date",))
    monkeypatch.setitem(ENTITIES, "transactions", only)
    with serve(store, transaction_cap=3, other_cap=3, dispute_page_size=3) as srv:
        reader = BraintreeReader(
            account(srv.url, lookback_days=4000), sleep=lambda s: None, caps={"transactions": 3}
        )
        with reader:
            after = int(time.time())
            pages = reader.changes("transactions", ChangeCursor(after))
            found = [o["id"] for page in pages for o in page.objects]
    assert sorted(found) == disbursed
