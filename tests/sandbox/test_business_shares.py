"""Customers on gateways: each account's share, its totals, and one person across gateways.

The identity truth is checked against the neutral data itself: the links a warehouse can see
(normalized email, external id, VAT id) computed here, never through the generator's rule.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

import pytest

from sandbox.business import generate
from sandbox.business.model import Business
from sandbox.business.shares import share
from sandbox.business.totals import compute_totals

ACCOUNTS = [("braintree", "sandbox"), ("paypal", "sandbox"), ("stripe", "sandbox")]
TAKES = {
    "braintree": {"USD", "EUR", "GBP", "JPY", "KWD", "AUD", "CAD"},
    "paypal": {"USD", "EUR", "GBP", "JPY", "AUD", "CAD"},
}
# Every table that adds up over accounts (persons and identity do not: a person can pay on two).
ADDITIVE = ("payments", "refunds", "disputes_by_status", "lost_disputes",
            "lost_disputes_by_opening_month", "lost_disputes_estimated", "net_revenue", "tax",
            "mrr", "charges_by_status", "refunds_by_status", "credit_notes", "deleted",
            "cases")  # fmt: skip


@pytest.fixture(scope="module", params=[(42, 0.3), (5, 0.03)], ids=["seed42", "tiny"])
def biz(request) -> Business:
    return generate(*request.param)


def nfc_trim_lower(email: str) -> str:
    return unicodedata.normalize("NFC", email).strip().lower()


def add(a, b):
    """Sum two figures: dicts key by key (missing = nothing), ints as ints, texts must agree."""
    if isinstance(a, dict):
        return {k: add(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in {*a, *b}}
    if isinstance(a, int):
        return a + b
    assert a == b
    return a


def test_accounts_partition_the_business(biz):
    assert sorted(biz.totals["by_account"]) == ACCOUNTS
    shares = [share(biz, *key) for key in ACCOUNTS]
    for name in ("customers", "subscriptions", "invoices", "payment_intents", "charges",
                 "refunds", "disputes", "credit_notes"):  # fmt: skip
        ids = Counter(o.id for s in shares for o in getattr(s, name))
        assert sorted(ids) == sorted(o.id for o in getattr(biz, name)), name
        assert set(ids.values()) == {1}, name
    for (gateway, account), part in zip(ACCOUNTS, shares, strict=True):
        assert part.plans == biz.plans and part.tax_rates == biz.tax_rates
        owners = [o.customer for o in part.charges] + [o.charge.customer for o in part.refunds]
        owners += [o.invoice.customer for o in part.credit_notes]
        assert {(c.gateway, c.account) for c in owners + part.customers} == {(gateway, account)}
        assert part.totals == compute_totals(part)
        own = {k: v for k, v in part.totals.items() if k != "by_account"}
        assert own == biz.totals["by_account"][(gateway, account)]
        assert part.totals["by_account"] == {(gateway, account): own}


def test_per_account_totals_add_up_to_the_whole_exactly(biz):
    parts = [biz.totals["by_account"][key] for key in ACCOUNTS]
    for table in ADDITIVE:
        summed = parts[0][table]
        for part in parts[1:]:
            summed = add(summed, part[table])
        assert summed == biz.totals[table], table
    counts = [p["counts"] for p in parts]
    for entity, n in biz.totals["counts"].items():
        if entity != "persons":
            assert sum(c[entity] for c in counts) == n, entity
    persons = {c.person_id for c in biz.customers if c.deleted_at is None}
    assert biz.totals["counts"]["persons"] == len(persons) < sum(c["persons"] for c in counts)


def test_default_split_and_currencies_per_gateway(biz):
    first = {}
    for c in biz.customers:
        first.setdefault(c.person_id, c.gateway)
    share_of = Counter(first.values())
    n = len(first)
    if n > 1000:
        assert 0.62 < share_of["stripe"] / n < 0.76
        assert 0.15 < share_of["braintree"] / n < 0.26
        assert 0.06 < share_of["paypal"] / n < 0.15
    on = defaultdict(set)
    for c in biz.customers:
        on[c.gateway].add(c.currency)
        assert c.account == "sandbox"
    for gateway, taken in TAKES.items():
        assert on[gateway] <= taken, gateway
    assert all("JPY" in on[g] for g in ("stripe", "braintree", "paypal"))
    assert "KWD" in on["braintree"]
    assert {"USD", "EUR", "GBP"} <= on["braintree"] & on["paypal"]
    for charge in biz.charges:  # what a customer owns is in its own currency, on its gateway
        assert charge.currency == charge.customer.currency


def links(biz: Business) -> dict[str, str]:
    """Each listed customer's rule from what a warehouse sees: the first of email, external id,
    VAT id it shares with another customer of its person; standalone when alone."""
    listed = [c for c in biz.customers if c.deleted_at is None]
    by_person = defaultdict(list)
    for c in listed:
        by_person[c.person_id].append(c)
    out = {}
    for customers in by_person.values():
        for c in customers:
            others = [o for o in customers if o is not c]
            if not others:
                out[c.id] = "standalone"
            elif any(nfc_trim_lower(o.email) == nfc_trim_lower(c.email) for o in others):
                out[c.id] = "email"
            elif c.external_id and any(o.external_id == c.external_id for o in others):
                out[c.id] = "external_id"
            elif c.tax_id and any(o.tax_id == c.tax_id for o in others):
                out[c.id] = "tax_id"
            else:
                out[c.id] = "unlinked"  # a person the warehouse could never put together
    return out


def test_identity_rows_are_what_the_data_implies(biz):
    rows = biz.totals["identity"]
    listed = {c.id: c for c in biz.customers if c.deleted_at is None}
    assert sorted(r[3] for r in rows) == sorted(listed)
    for person_id, gateway, account, customer_id, _ in rows:
        c = listed[customer_id]
        assert (person_id, gateway, account) == (c.person_id, c.gateway, c.account)
    assert {r[3]: r[4] for r in rows} == links(biz)
    rules = Counter(r[4] for r in rows)
    assert {"standalone", "email", "external_id", "tax_id"} == set(rules)
    crossing = defaultdict(set)
    for person_id, gateway, *_ in rows:
        crossing[person_id].add(gateway)
    assert sum(len(g) > 1 for g in crossing.values()) >= 5


def test_no_identifier_is_shared_by_two_people(biz):
    """So every link above is the person's own: none would merge two people."""
    listed = [c for c in biz.customers if c.deleted_at is None]
    for key in (lambda c: nfc_trim_lower(c.email), lambda c: c.external_id, lambda c: c.tax_id):
        owners = defaultdict(set)
        for c in listed:
            if key(c):
                owners[key(c)].add(c.person_id)
        assert all(len(p) == 1 for p in owners.values())


def test_people_on_two_gateways_write_themselves_differently(biz):
    by_person = defaultdict(list)
    for c in biz.customers:
        by_person[c.person_id].append(c)
    pairs = [(a, b) for cs in by_person.values() for a in cs for b in cs
             if a.gateway < b.gateway]  # fmt: skip
    assert pairs
    same_email = [(a, b) for a, b in pairs if nfc_trim_lower(a.email) == nfc_trim_lower(b.email)]
    assert same_email and all(a.email != b.email for a, b in same_email)
    for cs in by_person.values():  # elsewhere, the name is written another way too
        assert all(c.name != cs[0].name for c in cs if c.gateway != cs[0].gateway)
    other_email = [(a, b) for a, b in pairs if (a, b) not in same_email]
    assert any(a.external_id and a.external_id == b.external_id for a, b in other_email)
    vat = [(a, b) for a, b in other_email if a.tax_id and a.tax_id == b.tax_id]
    assert vat and all({a.gateway, b.gateway} == {"braintree", "stripe"} for a, b in vat)
    assert all(not (a.external_id and a.external_id == b.external_id) for a, b in vat)
    via_paypal = [p for p in other_email if "paypal" in {p[0].gateway, p[1].gateway}]
    assert any(a.external_id == b.external_id for a, b in via_paypal)


def test_every_account_has_every_case(biz):
    """The cases' quotas are per account: each gateway's tests meet each case at any scale
    (but a never-billed customer on PayPal, which knows payers only through payments)."""
    for key in ACCOUNTS:
        cases = biz.totals["by_account"][key]["cases"]
        missing = {name for name, n in cases.items() if n < 1}
        assert missing <= ({"customers_without_billing"} if key[0] != "stripe" else set()), key
    paypal = [c for c in biz.customers if c.gateway == "paypal"]
    subscribed = {s.customer.id for s in biz.subscriptions}
    assert paypal and all(c.id in subscribed and c.deleted_at is None for c in paypal)
