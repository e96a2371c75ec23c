"""The Braintree sandbox's authorizations never captured, as the real gateway leaves them at
the business's clock (the end of its history): `voided` when the merchant released them
before they expired, `authorization_expired` at their `authorization-expires-at` when not
(Braintree's own doing: no user), `authorized` while still valid. The expected table comes
from the generator's own facts (captured, released_at, lapsed), never from the renderer."""

from __future__ import annotations

import random
from collections import Counter

import braintree
import pytest
from braintree.util.xml_util import XmlUtil

from sandbox.braintree import ids
from sandbox.braintree.business import braintree_share
from sandbox.braintree.shape import at
from sandbox.braintree.store import BraintreeStore
from sandbox.business import generate
from sandbox.business.billing import Books
from sandbox.business.clock import AUTH_EXPIRES, HISTORY_START
from sandbox.business.model import Card, Customer
from sandbox.business.oddities import Oddities, _authorizations

DAY = 86_400


@pytest.fixture(scope="module")
def share_and_store():
    share = braintree_share(generate(42, 0.15))
    return share, BraintreeStore(share)


def _history(el) -> list[tuple[str, str, str | None]]:
    return [
        (e.findtext("timestamp"), e.findtext("status"), e.findtext("user") or None)
        for e in el.iterfind("status-history/status-event")
    ]


def test_uncaptured_authorizations_as_the_business_left_them(share_and_store):
    share, store = share_and_store
    expected, served = {}, {}
    for charge in share.charges:
        if charge.captured or charge.status != "succeeded":
            continue
        made = (at(charge.created), "authorized", "ledgerdesk")
        if charge.lapsed:  # released by its expiry, seven days on: Braintree expired it
            end = [(at(charge.created + 7 * DAY), "authorization_expired", None)]
        elif charge.released_at is not None:
            end = [(at(charge.released_at), "voided", "ledgerdesk")]
        else:
            end = []
        txn_id = ids.transaction_id(charge.id)
        expected[txn_id] = [made, *end]
        el = store.get("transactions", txn_id).el
        served[txn_id] = _history(el)
        assert el.findtext("status") == expected[txn_id][-1][1]
        assert el.findtext("updated-at") == expected[txn_id][-1][0]
    assert served == expected
    statuses = Counter(history[-1][1] for history in served.values())
    cases = share.totals["cases"]
    assert statuses["authorization_expired"] == cases["authorizations_lapsed"] >= 1
    assert statuses["voided"] == cases["authorizations_released"] - cases["authorizations_lapsed"]
    assert statuses["authorized"] >= 1


def test_no_authorization_is_served_past_its_expiry(share_and_store):
    share, store = share_and_store
    for rec in store.records["transactions"].values():
        expires = rec.el.findtext("authorization-expires-at")
        if rec.el.findtext("status") == "authorized":
            assert expires > at(share.history_end), rec.el.findtext("id")


def test_an_expired_authorization_parses_and_is_searched_by_its_expiry(share_and_store):
    _, store = share_and_store
    expired = [
        r for r in store.records["transactions"].values()
        if r.el.findtext("status") == "authorization_expired"
    ]  # fmt: skip
    assert expired
    for rec in expired:
        txn = braintree.Transaction(None, XmlUtil.dict_from_xml(rec.xml())["transaction"])
        assert txn.status == braintree.Transaction.Status.AuthorizationExpired
        (when,) = rec.fields["authorization_expired_at"]
        assert when == int(txn.authorization_expires_at.timestamp())
        assert txn.status_history[-1].timestamp == txn.authorization_expires_at


class _Latest(random.Random):
    """Every draw its upper bound: a merchant's release drawn as late as it can be."""

    def randint(self, a: int, b: int) -> int:
        return b


def test_a_merchants_release_is_before_the_authorization_expires():
    """A release the merchant asked for (not a lapse) is strictly before expiry: one drawn at
    expiry would be served `authorization_expired` (Braintree expires at `expires-at`) while
    the generator says the merchant voided it."""
    card = Card("visa", "4242", 12, 2030, "credit", "US", "fp")
    customer = Customer(
        "cus1", 1, "a@example.com", "A", "US", None, "X", "10001", "USD", False, None, None,
        HISTORY_START, card, gateway="braintree",
    )  # fmt: skip
    books = Books(random.Random(0), {})
    _authorizations(_Latest(0), books, [customer], Oddities(), count=6)
    released = [c for c in books.charges if c.released_at is not None and not c.lapsed]
    assert len(released) == 1
    assert all(c.released_at - c.created < AUTH_EXPIRES for c in released)
