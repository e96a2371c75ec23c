"""The Braintree reader through the official SDK's transport against the local gateway over
loopback: every entity read whole, windows halved at the search cap, resume tokens, later
changes found by status dates, Braintree's errors and retries, and quarantine reasons."""

from __future__ import annotations

import braintree
import pytest

from gateways.base import ChangeCursor, ReadCursor
from gateways.braintree import reader as reader_module
from gateways.braintree.entities import ENTITIES
from gateways.braintree.reader import BraintreeReader
from gateways.errors import GatewayAuthError, GatewayPermissionError
from ledgerdesk.config import GatewayAccount
from sandbox.braintree.app import PRIVATE_KEY, PUBLIC_KEY
from sandbox.braintree.business import braintree_share
from sandbox.braintree.faults import (
    AMOUNT_WITH_COMMA,
    MISSING_CREATED_AT,
    MISSING_ID,
    TOO_MANY_DECIMALS,
    UNKNOWN_CURRENCY,
    FaultPlan,
)
from sandbox.braintree.server import serve
from sandbox.braintree.store import MERCHANT_ID, BraintreeStore
from sandbox.business import generate

SMALL_CAP = 40


@pytest.fixture(scope="module")
def server():
    store = BraintreeStore(braintree_share(generate(42, 0.1)))
    with serve(store, transaction_cap=SMALL_CAP, other_cap=SMALL_CAP) as srv:
        yield srv


def account(url: str, **secrets: str) -> GatewayAccount:
    given = {"merchant_id": MERCHANT_ID, "public_key": PUBLIC_KEY, "private_key": PRIVATE_KEY}
    given.update(secrets)
    names = {k: f"BT_{k.upper()}" for k in given}
    return GatewayAccount("braintree", "sandbox", credentials=names, secrets=given, api_base=url)


def make_reader(server, **secrets) -> BraintreeReader:
    caps = dict.fromkeys(ENTITIES, SMALL_CAP)
    return BraintreeReader(account(server.url, **secrets), sleep=lambda s: None, caps=caps)


def read_all(reader, entity, cursor=None) -> list[dict]:
    return [o for page in reader.read(entity, cursor) for o in page.objects]


@pytest.fixture(autouse=True)
def clean_faults(server):
    server.faults = FaultPlan()
    yield
    server.faults = FaultPlan()


def test_every_entity_is_read_whole_without_the_sdk_parser(server, monkeypatch):
    def no_minidom(*args, **kwargs):
        raise AssertionError("the SDK's minidom parser ran on the extraction path")

    monkeypatch.setattr(braintree.util.xml_util.XmlUtil, "dict_from_xml", no_minidom)
    with make_reader(server) as reader:
        for entity, spec in ENTITIES.items():
            objects = read_all(reader, entity)
            ids = [spec.envelope(o).id for o in objects if spec.problem(o) is None]
            assert sorted(ids) == sorted(server.store.records[entity]), entity
            assert len(ids) == len(objects), entity


def test_a_window_at_the_cap_is_halved_until_complete(server):
    """Transactions outnumber the cap many times over: each capped window is searched again
    in halves, and the union is every transaction exactly once."""
    assert len(server.store.records["transactions"]) > 5 * SMALL_CAP
    before = server.requests_by_path.copy()
    with make_reader(server) as reader:
        objects = read_all(reader, "transactions")
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids)) == len(server.store.records["transactions"])
    path = f"/merchants/{MERCHANT_ID}/transactions/advanced_search_ids"
    searches = server.requests_by_path[path] - before[path]
    assert searches > len(ids) // SMALL_CAP  # halvings happened


def test_resume_token_goes_on_after_the_page(server):
    with make_reader(server) as reader:
        pages = reader.read("transactions")
        first = [next(pages), next(pages)]
        token = first[-1].resume
        assert token
        rest = read_all(reader, "transactions", ReadCursor(resume=token))
    seen = [o["id"] for p in first for o in p.objects] + [o["id"] for o in rest]
    assert sorted(seen) == sorted(server.store.records["transactions"])


def test_faults_are_retried_to_the_same_answer(server):
    with make_reader(server) as reader:
        clean = sorted(o["id"] for o in read_all(reader, "customers"))
        server.faults = FaultPlan(rate_limit_every=3, server_error_every=5)
        faulty = sorted(o["id"] for o in read_all(reader, "customers"))
    assert faulty == clean
    assert server.faults.seen > 7


def test_wrong_keys_and_wrong_merchant_are_braintree_errors(server):
    with make_reader(server, private_key="wrong") as reader, pytest.raises(GatewayAuthError):
        read_all(reader, "plans")
    other = make_reader(server, merchant_id="someone_else")
    with other as reader, pytest.raises(GatewayPermissionError) as caught:
        read_all(reader, "plans")
    assert "wrong" not in str(caught.value)


@pytest.mark.parametrize(
    ("variant", "reason"),
    [
        (AMOUNT_WITH_COMMA, "not a decimal string"),
        (TOO_MANY_DECIMALS, "decimals"),
        (MISSING_CREATED_AT, "no created_at"),
        (UNKNOWN_CURRENCY, "unknown currency"),
        (MISSING_ID, "no id"),
    ],
)
def test_malformed_objects_are_quarantined_with_the_reason(server, variant, reason):
    spec = ENTITIES["transactions"]
    victim = next(iter(server.store.records["transactions"]))
    server.faults.malform([victim], variant)
    with make_reader(server) as reader:
        problems = [spec.problem(o) for o in read_all(reader, "transactions")]
    found = [p for p in problems if p]
    assert len(found) == 1 and reason in found[0], found


def test_jpy_and_kwd_amounts_validate_in_their_own_exponent():
    spec = ENTITIES["transactions"]
    base = {"id": "x", "created_at": "2026-01-01T00:00:00Z"}
    assert spec.problem({**base, "currency_iso_code": "JPY", "amount": "1500"}) is None
    assert "decimals" in spec.problem({**base, "currency_iso_code": "JPY", "amount": "1500.5"})
    assert spec.problem({**base, "currency_iso_code": "KWD", "amount": "1.234"}) is None
    assert "decimals" in spec.problem({**base, "currency_iso_code": "KWD", "amount": "1.2345"})


def test_status_date_changes_are_found_after_the_position(server):
    store = server.store
    sale = next(
        i
        for i, r in store.records["transactions"].items()
        if r.el.findtext("status") == "settled" and r.el.findtext("type") == "sale"
    )
    with make_reader(server) as reader:
        baseline = list(reader.changes("transactions", ChangeCursor(after=None)))
        position = baseline[-1].position
        credit = store.refund(sale)
        store.settle(credit)
        found = [
            o["id"]
            for p in reader.changes("transactions", ChangeCursor(position))
            for o in p.objects
        ]
    assert credit in found
    assert len(found) == len(set(found))  # de-duplicated across status-date fields


def test_the_cap_constant_is_braintrees():
    assert ENTITIES["transactions"].cap == 20_000
    assert ENTITIES["customers"].cap == 10_000
    assert reader_module.BATCH == 50


def test_a_subscriptions_add_ons_and_discounts_validate_in_its_currency():
    spec = ENTITIES["subscriptions"]
    base = {
        "id": "s", "created_at": "2026-01-01T00:00:00Z", "price": "3000",
        "status_history": [{"currency_iso_code": "JPY"}],
    }  # fmt: skip
    fine = [{"id": "a", "amount": "1500"}, {"id": "b", "amount": "1500.00"}]
    assert spec.problem({**base, "add_ons": fine, "discounts": fine}) is None
    odd = [{"id": "a", "amount": "1500.5"}]
    assert "add_ons.amount '1500.5' has 1 decimals" in spec.problem({**base, "add_ons": odd})
    assert "discounts.amount '1500.5'" in spec.problem({**base, "discounts": odd})
    assert "add_ons.amount 15 is not a decimal" in spec.problem(
        {**base, "add_ons": [{"amount": 15}]}
    )
    assert "not a list" in spec.problem({**base, "discounts": ["1500"]})
