"""The Braintree reader's windows and change feed against the local gateway: status-date
windows halved at the search cap, the change window as long as the account's lookback, every
status date of the SDK's TransactionSearch searched, dispute pages resumed in the page size
the gateway gives, and the disputes listing's cursor in the field it searches by."""

from __future__ import annotations

import time
from collections import Counter

import duckdb
import pytest

from gateways.base import ChangeCursor, ReadCursor
from gateways.braintree.entities import ENTITIES
from gateways.braintree.reader import BraintreeReader
from gateways.braintree.windows import after, halves, page_size
from gateways.registry import gateway_module
from ledgerdesk.config import GatewayAccount
from pipelines.extract.landing import read_cursor
from pipelines.extract.runner import extract_entity
from sandbox.braintree.app import PRIVATE_KEY, PUBLIC_KEY
from sandbox.braintree.business import braintree_share
from sandbox.braintree.records import parse_time
from sandbox.braintree.server import serve
from sandbox.braintree.store import MERCHANT_ID, BraintreeStore
from sandbox.business import generate

DAY = 86_400
SMALL_CAP = 40
DISPUTE_PAGE = 3  # not Braintree's 50: the reader must read it from the answer


@pytest.fixture(scope="module")
def share():
    return braintree_share(generate(42, 0.1))


def sandbox(share):
    store = BraintreeStore(share)
    return serve(
        store, transaction_cap=SMALL_CAP, other_cap=SMALL_CAP, dispute_page_size=DISPUTE_PAGE
    )


@pytest.fixture(scope="module")
def server(share):
    with sandbox(share) as srv:
        yield srv


@pytest.fixture
def fresh_server(share):
    """A sandbox of its own, for a test that needs no one else's disputes in it."""
    with sandbox(share) as srv:
        yield srv


def account(url: str, lookback_days: int = 3) -> GatewayAccount:
    given = {"merchant_id": MERCHANT_ID, "public_key": PUBLIC_KEY, "private_key": PRIVATE_KEY}
    names = {k: f"BT_{k.upper()}" for k in given}
    return GatewayAccount(
        "braintree", "sandbox", credentials=names, secrets=given, api_base=url,
        lookback_days=lookback_days,
    )  # fmt: skip


def make_reader(server, lookback_days: int = 3, clock=time.time) -> BraintreeReader:
    return BraintreeReader(
        account(server.url, lookback_days),
        sleep=lambda s: None,
        caps=dict.fromkeys(ENTITIES, SMALL_CAP),
        clock=clock,
    )


def changed(reader, entity: str, after: int) -> list[str]:
    return [o["id"] for p in reader.changes(entity, ChangeCursor(after)) for o in p.objects]


def position(reader, entity: str = "transactions") -> int:
    return list(reader.changes(entity, ChangeCursor(after=None)))[-1].position


def old_sales(store, status: str, instrument: str = "credit_card") -> list[str]:
    """Sales of `status` created over 30 days ago, oldest first (no recent status date)."""
    horizon = store.now() - 30 * DAY
    return [
        i
        for i, r in sorted(store.records["transactions"].items(), key=lambda kv: kv[1].created)
        if r.el.findtext("type") == "sale"
        and r.el.findtext("status") == status
        and r.el.findtext("payment-instrument-type") == instrument
        and r.created < horizon
    ]


def test_status_date_windows_at_the_cap_are_halved(server):
    """From before the first transaction, every status-date search reaches the cap many times
    over: its windows are halved until complete, and every transaction is found, once."""
    store = server.store
    everything = sorted(store.records["transactions"])
    assert len(everything) > 5 * SMALL_CAP
    first = min(r.created for r in store.records["transactions"].values())
    with make_reader(server, lookback_days=0) as reader:
        found = changed(reader, "transactions", first)
    assert [i for i, n in Counter(found).items() if n > 1] == []
    assert sorted(found) == everything


def test_the_change_window_is_the_accounts_lookback(server):
    """A status date four days before the position is inside a five-day lookback and outside
    a one-day one (the window is the account's, not a fixed overlap)."""
    store = server.store
    sale = old_sales(store, "settled")[0]
    with make_reader(server, lookback_days=5) as long, make_reader(server, 1) as short:
        after = position(long)
        store.void(sale, at_time=after - 4 * DAY)
        assert sale in changed(long, "transactions", after)
        assert sale not in changed(short, "transactions", after)


def test_expired_authorizations_and_ach_returns_are_changes(server):
    """authorization_expired_at and ach_return_responses_created_at (TransactionSearch's
    range fields) are searched: each change alone moves only that status date."""
    store = server.store
    authorization = old_sales(store, "authorized")[0]
    bank_debit = old_sales(store, "settlement_pending", "us_bank_account")[0]
    with make_reader(server) as reader:
        after = position(reader)
        store.expire_authorization(authorization)
        store.return_ach(bank_debit, "R01")
        found = changed(reader, "transactions", after)
    assert sorted(found) == sorted([authorization, bank_debit])
    returned = store.get("transactions", bank_debit).el
    assert returned.findtext("status") == "settlement_declined"
    assert returned.findtext("processor-settlement-response-code") == "R01"


def test_dispute_pages_resume_in_the_gateways_page_size(server):
    store = server.store
    sales = old_sales(store, "settled")[-8:]
    for sale in sales:
        store.open_dispute(sale)
    everything = sorted(store.records["disputes"])
    assert len(everything) > 3 * DISPUTE_PAGE
    with make_reader(server) as reader:
        pages = reader.read("disputes")
        first = [next(pages), next(pages)]
    assert [len(p.objects) for p in first] == [DISPUTE_PAGE, DISPUTE_PAGE]
    # resumed a minute on: the received_date window after the resumed one starts the next
    # day (today was searched whole), so nothing received today is read twice
    with make_reader(server, clock=lambda: time.time() + 60) as reader:
        token = ReadCursor(resume=first[-1].resume)
        rest = [o["id"] for p in reader.read("disputes", token) for o in p.objects]
    seen = [o["id"] for p in first for o in p.objects] + rest
    assert sorted(seen) == everything  # each once: the resume skipped exactly two pages


def test_the_disputes_cursor_moves_by_received_date(fresh_server, tmp_path):
    """A dispute created an hour ago but received five days ago is the newest by creation; the
    next listing (lookback 0) must still reach a dispute received four days ago and created
    later, whose status dates (its receipt) are older than the feed's position too."""
    store = fresh_server.store
    now = store.now()
    disputes = store.records["disputes"].values()
    received = [parse_time(r.el.findtext("received-date")) for r in disputes]
    assert max(received) < now - 6 * DAY  # the premise: every other dispute is older
    late, later = old_sales(store, "settled")[:2]
    store.open_dispute(late, at_time=now - 3600, received_at=now - 5 * DAY)
    module, warehouse = gateway_module("braintree"), tmp_path / "w.duckdb"

    def run():
        with make_reader(fresh_server, lookback_days=0) as reader:
            extract_entity(
                module, account(fresh_server.url, 0), "disputes", warehouse, reader=reader,
                log=lambda line: None,
            )  # fmt: skip

    run()
    mark = read_cursor(warehouse, "braintree", "sandbox", "disputes")["created_gte"]
    assert mark == (now - 5 * DAY) // DAY * DAY  # the newest received_date, not created_at
    dispute = store.open_dispute(later, received_at=now - 4 * DAY)
    run()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        ids = {i for (i,) in con.sql("select id from raw_braintree.disputes").fetchall()}
    finally:
        con.close()
    assert dispute in ids
    assert ids == set(store.records["disputes"])


def test_date_windows_halve_on_day_boundaries_and_a_day_is_never_split():
    start = 20_000 * DAY + 5 * 3600  # mid-morning of a day
    assert halves("received_date", start, start + 3 * DAY) == (
        (start, 20_002 * DAY - 1),
        (20_002 * DAY, start + 3 * DAY),
    )
    assert halves("received_date", start, start + 10 * 3600) is None  # one day
    assert halves("settled_at", start, start + 10) == ((start, start + 5), (start + 6, start + 10))
    assert halves("settled_at", start, start) is None
    assert after("received_date", start) == 20_001 * DAY
    assert after("settled_at", start) == start + 1


@pytest.mark.parametrize(("given", "size"), [("7", 7), (7, 7), (None, 50), ("0", 50), ("x", 50)])
def test_the_page_size_is_the_answers(given, size):
    assert page_size({"page_size": given}) == size
