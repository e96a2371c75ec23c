"""Transaction Search in the PayPal sandbox as PayPal describes it: `balance_affecting_records_only`
(Y, the default, lists only rows that move the balance; N lists every row, authorizations T1300
too) and `transaction_type`; a lost dispute's money by its channel (T1106 or T1201)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.render import iso
from sandbox.paypal.testing import authorized_client, paypal_store


@pytest.fixture(scope="module")
def world():
    share, store = paypal_store(scale=0.2)
    with authorized_client(store) as (http, _):
        yield share, store, http


def codes(http, store, **params) -> list[str]:
    """Event codes of a 30-day search around the first authorization (fields=all)."""
    first = min(a["create_time"] for a in store.authorizations.values())
    start = datetime.fromisoformat(first.replace("Z", "+00:00")) - timedelta(days=1)
    window = {"start_date": f"{start:%Y-%m-%dT%H:%M:%SZ}", "fields": "all", "page_size": 500,
              "end_date": f"{start + timedelta(days=30):%Y-%m-%dT%H:%M:%SZ}"}  # fmt: skip
    doc = http.get("/v1/reporting/transactions", params={**window, **params}).json()
    return [d["transaction_info"]["transaction_event_code"] for d in doc["transaction_details"]]


def test_authorizations_are_listed_only_with_balance_affecting_records_only_n(world):
    _, store, http = world
    default = codes(http, store)
    balance = codes(http, store, balance_affecting_records_only="Y")
    every = codes(http, store, balance_affecting_records_only="N")
    assert default == balance and "T1300" not in balance and "T1300" in every
    assert sorted(c for c in every if not c.startswith("T13")) == sorted(balance)
    only = codes(http, store, balance_affecting_records_only="N", transaction_type="T1300")
    assert only == [c for c in every if c == "T1300"]
    refused = http.get(
        "/v1/reporting/transactions",
        params={"start_date": "2026-09-01T00:00:00Z", "end_date": "2026-09-02T00:00:00Z",
                "balance_affecting_records_only": "maybe"},
    )  # fmt: skip
    assert refused.status_code == 400 and refused.json()["name"] == "INVALID_REQUEST"


def test_a_lost_disputes_money_is_a_reversal_or_a_chargeback_by_its_channel(world):
    """Keyed by dispute (the row's id is the dispute's): two disputes on one payment stay two."""
    share, store, _ = world
    rows = {r.tid: r.detail["transaction_info"] for r in rows_of(store, "T1106", "T1201")}
    lost = [d for d in share.disputes if d.status == "lost"]
    assert len(rows) == len(lost)
    for d in lost:
        info = rows[ids.transaction_id(f"cb:{d.id}")]
        assert info["paypal_reference_id"] == ids.transaction_id(d.charge.id)
        channel = store.disputes[ids.dispute_id(d.id)]["dispute_channel"]
        assert info["transaction_event_code"] == {"INTERNAL": "T1106", "EXTERNAL": "T1201"}[channel]
        assert info["transaction_amount"] == money(-d.amount, d.currency)
    assert {i["transaction_event_code"] for i in rows.values()} == {"T1106", "T1201"}


def test_balance_affecting_records_only_takes_only_y_or_n(world):
    _, store, http = world
    assert codes(http, store, balance_affecting_records_only="N")
    for value in ("y", "n", "yes", ""):
        refused = http.get("/v1/reporting/transactions", params={
            "start_date": "2026-09-01T00:00:00Z", "end_date": "2026-09-02T00:00:00Z",
            "balance_affecting_records_only": value})  # fmt: skip
        if value == "":  # absent, as PayPal reads an empty value: the default Y
            assert refused.status_code == 200
            continue
        assert refused.status_code == 400 and refused.json()["name"] == "INVALID_REQUEST"


def rows_of(store, *codes_wanted: str) -> list:
    return [r for r in store.rows
            if r.detail["transaction_info"]["transaction_event_code"] in codes_wanted]  # fmt: skip


def test_some_authorizations_share_their_captures_id_as_the_spec_allows(world):
    share, store, _ = world
    captured = {ids.transaction_id(c.id) for c in share.charges
                if c.captured and c.payment_intent.capture_method == "manual"}  # fmt: skip
    listed: dict[str, list[bool]] = {}
    for r in store.rows:
        listed.setdefault(r.tid, []).append(r.balance_affecting)
    twice = {tid for tid, flags in listed.items() if len(flags) > 1}
    assert twice and twice <= captured
    assert all(sorted(listed[tid]) == [False, True] for tid in twice)


def test_voids_are_the_rows_v_or_a_void_row_and_lapses_are_merchant_voids(world):
    """Every released authorization voided once, in one of the two forms (both appear); a
    release is before the authorization's 29 days: VOIDED, never EXPIRED."""
    share, store, _ = world
    released = {ids.transaction_id(f"auth:{c.id}"): c for c in share.charges
                if c.released_at is not None and not c.captured}  # fmt: skip
    assert len(released) == share.totals["cases"]["authorizations_released"]
    by_status = {r.tid: r.detail["transaction_info"]["transaction_status"]
                 for r in rows_of(store, "T1300")}  # fmt: skip
    void_rows = [r.detail["transaction_info"] for r in rows_of(store, "T1302")]
    by_row = {v["paypal_reference_id"] for v in void_rows}
    by_v = {tid for tid, status in by_status.items() if status == "V"}
    assert by_row and by_v and not by_row & by_v and by_row | by_v == set(released)
    assert all(by_status[tid] == "P" for tid in by_row)
    lapsed = [c for c in released.values() if c.lapsed]
    assert lapsed, "the share holds a lapse"
    for aid, charge in released.items():
        auth = store.authorizations[aid]
        assert auth["status"] == "VOIDED" and auth["update_time"] == iso(charge.released_at)
        assert auth["update_time"] < auth["expiration_time"]
    assert "EXPIRED" not in {a["status"] for a in store.authorizations.values()}


def test_a_payment_refunded_in_full_is_v_the_others_keep_their_status(world):
    share, store, _ = world
    full = set()
    for c in share.charges:
        done = sum(r.amount for r in c.refunds if r.status == "succeeded" and not r.is_release)
        if c.captured and c.status == "succeeded" and done >= c.amount:
            full.add(ids.transaction_id(c.id))
    shown_v = {r.tid for r in rows_of(store, "T0003", "T0006")
               if r.detail["transaction_info"]["transaction_status"] == "V"}  # fmt: skip
    assert full and shown_v == full
