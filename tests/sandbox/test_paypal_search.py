"""Transaction Search in the PayPal sandbox as PayPal describes it: `balance_affecting_records_only`
(Y, the default, lists only rows that move the balance; N lists every row, authorizations T1300
too) and `transaction_type`; a lost dispute's money by its channel (T1106 or T1201)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.server import serve
from sandbox.paypal.testing import CLIENT_ID, CLIENT_SECRET, paypal_store


@pytest.fixture(scope="module")
def world():
    share, store = paypal_store(scale=0.2)
    with serve(store) as server, httpx.Client(base_url=server.url) as http:
        token = http.post(
            "/v1/oauth2/token", auth=(CLIENT_ID, CLIENT_SECRET),
            data={"grant_type": "client_credentials"},
        ).json()  # fmt: skip
        http.headers["Authorization"] = f"Bearer {token['access_token']}"
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
    assert sorted(c for c in every if c != "T1300") == sorted(balance)
    only = codes(http, store, balance_affecting_records_only="N", transaction_type="T1300")
    assert only == [c for c in every if c == "T1300"]
    refused = http.get(
        "/v1/reporting/transactions",
        params={"start_date": "2026-09-01T00:00:00Z", "end_date": "2026-09-02T00:00:00Z",
                "balance_affecting_records_only": "maybe"},
    )  # fmt: skip
    assert refused.status_code == 400 and refused.json()["name"] == "INVALID_REQUEST"


def test_a_lost_disputes_money_is_a_reversal_or_a_chargeback_by_its_channel(world):
    share, store, _ = world
    rows = {
        r.detail["transaction_info"]["paypal_reference_id"]: r.detail["transaction_info"]
        for r in store.rows
        if r.detail["transaction_info"]["transaction_event_code"] in ("T1106", "T1201")
    }
    lost = [d for d in share.disputes if d.status == "lost"]
    assert len(rows) == len(lost)
    for d in lost:
        info = rows[ids.transaction_id(d.charge.id)]
        channel = store.disputes[ids.dispute_id(d.id)]["dispute_channel"]
        assert info["transaction_event_code"] == {"INTERNAL": "T1106", "EXTERNAL": "T1201"}[channel]
        assert info["transaction_amount"] == money(-d.amount, d.currency)
    assert {i["transaction_event_code"] for i in rows.values()} == {"T1106", "T1201"}
