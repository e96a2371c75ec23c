"""The PayPal reader through the real paypal-server-sdk against the PayPal sandbox over
loopback: windows, the three-hour horizon, RESULTSET_TOO_LARGE, the token, retries, validation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gateways.base import ReadCursor
from gateways.errors import GatewayAuthError
from gateways.paypal.entities import ENTITIES
from gateways.paypal.reader import PayPalReader, kept
from gateways.registry import gateway_module
from sandbox.business.clock import HISTORY_END, HISTORY_START
from sandbox.kit.faults import FaultPlan
from sandbox.paypal.server import serve
from sandbox.paypal.testing import paypal_store, sandbox_account

NOW = HISTORY_END + 86_400


@pytest.fixture(scope="module")
def world():
    _, store = paypal_store(scale=0.1, clock=lambda: NOW)
    with serve(store) as server:
        yield store, server


def reader(server, **kwargs) -> PayPalReader:
    kwargs.setdefault("now", lambda: NOW)
    kwargs.setdefault("sleep", lambda s: None)
    return PayPalReader(sandbox_account(server.url), history_start=HISTORY_START, **kwargs)


def ids(pages) -> list[str]:
    spec = ENTITIES["transactions"]
    return [spec.envelope(o).id for page in pages for o in page.objects]


def test_registered_and_cheap_to_import():
    assert gateway_module("paypal").credentials == ("client_id", "client_secret")
    code = "import sys, gateways.paypal.module; print('paypalserversdk' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_transactions_in_31_day_windows_to_the_horizon(world):
    store, server = world
    with reader(server) as r:
        got = ids(r.read("transactions"))
    expected = [r.tid for r in store.rows if r.at <= NOW - 3 * 3600 and r.balance_affecting]
    assert sorted(got) == sorted(expected) and len(got) == len(set(got))


def test_authorizations_are_listed_only_with_balance_affecting_records_only_n(world):
    store, server = world
    with reader(server) as r:
        pages = list(r.read("authorizations"))
    got = ids(pages)
    codes = [o["transaction_info"]["transaction_event_code"] for p in pages for o in p.objects]
    # Every authorization the sandbox holds (open, voided, captured) and every void row
    # (T1302, found only without a transaction_type filter), nothing balance-affecting.
    voids = [r.tid for r in store.rows if r.tid not in store.authorizations and not
             r.balance_affecting]  # fmt: skip
    assert voids and sorted(got) == sorted([*store.authorizations, *voids])
    assert len(got) == len(set(got)) and sorted(set(codes)) == ["T1300", "T1302"]
    statuses = {store.authorizations[a]["status"] for a in got if a not in voids}
    assert statuses == {"CREATED", "VOIDED", "CAPTURED"}


def test_the_authorizations_listing_keeps_only_the_t13_rows():
    rows = [{"transaction_info": {"transaction_event_code": c}} for c in
            ("T1300", "T0006", "T1302", "T1107", "T1301")]  # fmt: skip
    got = kept("authorizations", [*rows, "malformed"])
    assert [d["transaction_info"]["transaction_event_code"] for d in got[:-1]] == [
        "T1300", "T1302", "T1301"]  # fmt: skip
    assert got[-1] == "malformed" and kept("transactions", rows) == rows


def test_the_cursor_never_passes_now_minus_three_hours(world):
    store, server = world
    late = [r for r in store.rows if r.balance_affecting][-1]
    # An hour after the newest transaction: PayPal may not list it yet, so neither may we.
    with reader(server, now=lambda: late.at + 3600) as r:
        pages = list(r.read("transactions", ReadCursor(since=late.at - 86_400)))
    assert late.tid not in ids(pages)
    with reader(server, now=lambda: late.at + 3 * 3600 + 1) as r:
        assert late.tid in ids(r.read("transactions", ReadCursor(since=late.at - 86_400)))


def test_resultset_too_large_halves_the_window(world):
    store, server = world
    with reader(server) as r:
        whole = ids(r.read("transactions"))
    store.resultset_cap = 5
    try:
        with reader(server) as r:
            split = ids(r.read("transactions"))
    finally:
        store.resultset_cap = 10_000
    assert sorted(split) == sorted(whole)


def test_resume_goes_on_after_the_page(world):
    server = world[1]
    with reader(server) as r:
        pages = list(r.read("transactions"))
        middle = next(n for n, p in enumerate(pages) if p.objects and n > 2)
        rest = list(r.read("transactions", ReadCursor(resume=pages[middle].resume)))
    assert ids(rest) == ids(pages[middle + 1 :])


def last_of_its_window(token: str) -> bool:
    _, _, page, pages = token.split(":")
    return page == pages


def test_resume_past_a_windows_last_page_goes_on_to_the_next_window_or_ends(world):
    server = world[1]

    def searches() -> int:
        return server.requests_by_path.get("/v1/reporting/transactions", 0)

    with reader(server) as r:
        pages = list(r.read("transactions"))
        # The last page of a window that is not the last (its token: page == pages).
        n = next(n for n, p in enumerate(pages[:-1]) if last_of_its_window(p.resume))
        before = searches()
        rest = list(r.read("transactions", ReadCursor(resume=pages[n].resume)))
        assert ids(rest) == ids(pages[n + 1 :])
        # One request a page, none for a page past the window's end.
        assert len(rest) == len(pages[n + 1 :]) == searches() - before
        # The final page of the final window: the listing ends, nothing asked, nothing read.
        before = searches()
        assert list(r.read("transactions", ReadCursor(resume=pages[-1].resume))) == []
        assert searches() == before
        # A token saved before it carried the page count, pointing at the window's last
        # page: the page after it is empty, the window ends there and the rest follows.
        old = ":".join(pages[n].resume.split(":")[:3])
        assert ids(r.read("transactions", ReadCursor(resume=old))) == ids(pages[n + 1 :])


def test_token_fetched_once_and_renewed_before_it_expires(world):
    store, server = world
    store.token_seconds = 20
    clock = [1000.0]
    try:
        with reader(server, token_clock=lambda: clock[0]) as r:
            list(r.read("plans"))
            list(r.read("subscriptions"))
            assert r.transport.tokens.fetches == 1
            clock[0] += 18.5  # past expires_in minus the margin (a tenth): renewed
            list(r.read("plans"))
            assert r.transport.tokens.fetches == 2
            server.app.handler.tokens.clear()  # the gateway forgets it: 401 invalid_token
            assert list(r.read("disputes"))  # plain HTTP
            assert r.transport.tokens.fetches == 3
            server.app.handler.tokens.clear()
            assert list(r.read("plans"))  # the SDK
            assert r.transport.tokens.fetches == 4
            assert server.app.handler.tokens_issued >= 4
    finally:
        store.token_seconds = 32_400


def test_the_sdk_internals_the_transport_touches_still_exist(world):
    server = world[1]
    with reader(server) as r:
        list(r.read("plans"))
        manager = r.sdk.auth_managers["Oauth2"]
        assert manager._o_auth_token.access_token == r.transport.tokens.current()


def test_faults_are_retried_to_the_same_pages(world):
    server = world[1]
    with reader(server) as r:
        clean = {e: [o for p in r.read(e) for o in p.objects] for e in ENTITIES}
    server.faults = FaultPlan(rate_limit_every=3, server_error_every=5, retry_after_seconds=0)
    try:
        with reader(server) as r:
            faulty = {e: [o for p in r.read(e) for o in p.objects] for e in ENTITIES}
    finally:
        server.faults = FaultPlan()
    assert faulty == clean


def test_bad_credentials_name_the_account(world):
    server = world[1]
    r = PayPalReader(sandbox_account(server.url, secret="wrong"), sleep=lambda s: None)
    with pytest.raises(GatewayAuthError, match="paypal account 'sandbox'") as caught:
        list(r.read("plans"))
    assert "wrong" not in str(caught.value)


@pytest.mark.parametrize(
    ("money", "problem"),
    [
        ({"currency_code": "USD", "value": "12.30"}, None),
        ({"currency_code": "JPY", "value": "1500"}, None),
        ({"currency_code": "USD", "value": "12.345"}, "3 decimals"),
        ({"currency_code": "JPY", "value": "1500.5"}, "JPY has 0"),
        ({"currency_code": "HUF", "value": "10.5"}, "HUF has 0"),
        ({"currency_code": "TWD", "value": "30.50"}, "TWD has 0"),
        ({"currency_code": "TWD", "value": "30.00"}, None),  # exact: zeros past the exponent
        ({"currency_code": "JPY", "value": "1500.00"}, None),
        ({"currency_code": "KWD", "value": "1.000"}, "unknown currency"),
        ({"currency_code": "USD", "value": 12.3}, "not a decimal string"),
        ({"currency_code": "USD", "value": "1e3"}, "not a decimal string"),
    ],
)
def test_money_that_paypal_could_not_send_is_quarantined(money, problem):
    obj = {
        "transaction_info": {
            "transaction_id": "ABC",
            "transaction_initiation_date": "2026-01-01T00:00:00+0000",
            "transaction_amount": money,
        }
    }
    found = ENTITIES["transactions"].problem(obj)
    assert (found is None) if problem is None else (problem in found)


def test_an_object_without_id_is_quarantined():
    assert "no id" in ENTITIES["disputes"].problem({"create_time": "2026-01-01T00:00:00Z"})
    assert "no id" in ENTITIES["subscriptions"].problem({"id": ""})
