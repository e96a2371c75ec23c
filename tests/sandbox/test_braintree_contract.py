"""The Braintree sandbox answers as the real gateway: what it serves has the elements and types
of real gateway XML recorded by public projects (tests/specs/braintree, README there), and
parses through the official SDK's own classes into the same Python types as those recordings.

Each served object is compared with the recordings of its kind: every element of the fullest
recording is served, every served element occurs in some recording (same path), with a type
a recording gives it; then both go through braintree.Transaction / Dispute / Subscription /
Customer / Plan and each attribute the two share has the same Python type.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import braintree
import pytest
from braintree.util.xml_util import XmlUtil
from lxml import etree

from sandbox.braintree.business import braintree_share
from sandbox.braintree.store import BraintreeStore
from sandbox.business import generate

SPECS = Path(__file__).resolve().parents[1] / "specs" / "braintree"
AIRBYTE = SPECS / "verbatim/airbytehq_airbyte/airbyte-integrations/connectors/source-braintree"
LYANG = SPECS / "verbatim/lyang_braintree-rails/spec/fixtures"
FULLEST = {  # the recording whose every element a served object must have
    "transaction": SPECS / "verbatim/jkthorne_braintree/spec/fixtures/create_transaction.xml",
    "dispute": SPECS / "verbatim/jkthorne_braintree/spec/fixtures/create_transaction.xml",
    "subscription": SPECS / "extracted/pay/create_subscription__1_POST_subscriptions_201.xml",
    "customer": SPECS / "extracted/pay/create_subscription__0_POST_customers_201.xml",
    "plan": LYANG / "plans.xml",
    "add-on": LYANG / "add_ons.xml",
    "discount": LYANG / "discounts.xml",
}
RECORDINGS = [
    *FULLEST.values(),
    SPECS
    / "extracted/spree_braintree_vzero/update_states__1_GET_transactions_200_sale_settled.xml",
    SPECS / "extracted/solidus_paypal_braintree/credit__2_POST_refund_201_credit.xml",
    SPECS / "extracted/solidus_paypal_braintree/void__1_PUT_void_200_voided.xml",
    AIRBYTE / "unit_tests/data/transaction__objs.txt",
    AIRBYTE / "unit_tests/data/disputes.txt",
    AIRBYTE / "unit_tests/data/customers_obj_response.txt",
    LYANG / "subscription.xml",
    LYANG / "subscriptions.xml",
]
# Served with a value where every recording happens to have nil: the SDK's declared type.
NEVER_RECORDED_WITH_VALUE = {
    "subscription/days-past-due": "integer",
    "dispute/date-won": "date",
    "transaction/disputes/dispute/date-won": "date",
    "discount/number-of-billing-cycles": "integer",
    "subscription/discounts/discount/number-of-billing-cycles": "integer",
}
# Never recorded publicly (specs README): a merchant's own custom fields, and a sale whose
# `refund-ids` is filled (an array of <item> ids, as the SDK's parser and `search-results`
# ids have them).
UNRECORDED = {
    "customer/custom-fields/external-id",
    "customer/custom-fields/vat-id",
    "transaction/refund-ids/item",
}
KINDS = {
    "transactions": "transaction",
    "disputes": "dispute",
    "subscriptions": "subscription",
    "customers": "customer",
    "plans": "plan",
    "discounts": "discount",
}


def _objects(path: Path, tag: str) -> list[etree._Element]:
    root = etree.parse(str(path), etree.XMLParser(remove_blank_text=True)).getroot()
    found = [root] if root.tag == tag else []
    found += [el for el in root.iter(tag) if el is not root]
    # an object's own kind only: a transaction inside a subscription counts as a transaction
    return found


def _paths(el: etree._Element, prefix: str = "") -> dict[str, set[str | None]]:
    """path -> the types it is served with (None: no type); nil elements count as present."""
    out: dict[str, set[str | None]] = defaultdict(set)
    here = f"{prefix}/{el.tag}" if prefix else el.tag
    if el.get("nil") != "true":
        out[here].add(el.get("type"))
    else:
        out.setdefault(here, set())
    for child in el:
        if isinstance(child.tag, str):
            for path, types in _paths(child, here).items():
                out[path] |= types
    return out


def _required(el: etree._Element, prefix: str = "") -> set[str]:
    """Paths every object of the kind has: not those inside an array (it may be empty)."""
    here = f"{prefix}/{el.tag}" if prefix else el.tag
    out = {here}
    if el.get("type") != "array":
        for child in el:
            if isinstance(child.tag, str):
                out |= _required(child, here)
    return out


@pytest.fixture(scope="module")
def recorded() -> dict[str, dict[str, set[str | None]]]:
    by_kind: dict[str, dict[str, set[str | None]]] = {}
    for kind in FULLEST:
        union: dict[str, set[str | None]] = defaultdict(set)
        for path in RECORDINGS:
            for el in _objects(path, kind):
                for p, types in _paths(el).items():
                    union[p] |= types
        by_kind[kind] = union
    return by_kind


@pytest.fixture(scope="module")
def store() -> BraintreeStore:
    """The rendered account, and one object of each change the store makes, so what the
    changes write is held to the recordings too."""
    store = BraintreeStore(braintree_share(generate(42, 0.15)))
    by_status: dict[tuple[str, str], list[str]] = defaultdict(list)
    for object_id, rec in store.records["transactions"].items():
        el = rec.el
        key = (el.findtext("status"), el.findtext("payment-instrument-type"))
        by_status[key].append(object_id)
    settled = by_status[("settled", "credit_card")]
    store.settle(store.refund(settled[0]))
    store.void(by_status[("authorized", "credit_card")][0])
    store.expire_authorization(by_status[("authorized", "credit_card")][1])
    store.return_ach(by_status[("settlement_pending", "us_bank_account")][0], "R01")
    dispute = store.open_dispute(settled[1], received_at=store.now() - 3 * 86_400)
    store.close_dispute(dispute, "won")
    subscriptions = store.records["subscriptions"].items()
    store.cancel_subscription(next(i for i, r in subscriptions if r.words["status"] == ["Active"]))
    return store


def _served(store: BraintreeStore, entity: str) -> list[etree._Element]:
    """Served objects; a subscription's embedded transactions are left out (they are the
    served transactions themselves, checked as such)."""
    records = list(store.records[entity].values())
    assert records, f"the sandbox serves no {entity}"
    served = [etree.fromstring(r.xml()) for r in records]
    for el in served:
        for embedded in el.findall("transactions"):
            for txn in list(embedded):
                embedded.remove(txn)
    return served


@pytest.mark.parametrize("entity", sorted(KINDS))
def test_served_elements_are_the_recorded_ones(store, recorded, entity):
    kind = KINDS[entity]
    fullest = _objects(FULLEST[kind], kind)[0]
    must = _required(fullest)
    union = recorded[kind]
    problems: set[str] = set()
    for el in _served(store, entity):
        served = _paths(el)
        problems |= {f"missing {p}" for p in must - set(served)}
        for path, types in served.items():
            if path in UNRECORDED:
                continue
            if path not in union:
                problems.add(f"never recorded: {path}")
                continue
            # recorded only as nil: text (no type) or the SDK's declared type
            allowed = union[path] or {None, NEVER_RECORDED_WITH_VALUE.get(path)}
            problems |= {f"{path} type={t} (recorded {sorted(map(str, allowed))})"
                         for t in types - allowed}  # fmt: skip
    assert not problems, sorted(problems)[:20]


SDK_CLASSES = {
    "transaction": lambda d: braintree.Transaction(None, d),
    "dispute": lambda d: braintree.Dispute(d),
    "subscription": lambda d: braintree.Subscription(None, d),
    "customer": lambda d: braintree.Customer(None, d),
    "plan": lambda d: braintree.Plan(None, d),
    "discount": lambda d: braintree.Discount(None, d),
}


def _sdk(el: etree._Element, kind: str):
    attrs = XmlUtil.dict_from_xml(etree.tostring(el).decode())[kind.replace("-", "_")]
    return SDK_CLASSES[kind](attrs)


@pytest.mark.parametrize("entity", sorted(KINDS))
def test_served_objects_parse_through_the_sdk_like_recorded_ones(store, entity):
    kind = KINDS[entity]
    reference = _sdk(_objects(FULLEST[kind], kind)[0], kind)
    # an empty element (`<custom-fields/>`) reads as "" and carries no type to compare
    ref_types = {k: type(v) for k, v in vars(reference).items() if v is not None and v != ""}
    mismatches: set[str] = set()
    parsed = 0
    for el in _served(store, entity):
        obj = _sdk(el, kind)
        parsed += 1
        for name, value in vars(obj).items():
            want = ref_types.get(name)
            if value is not None and want is not None and type(value) is not want:
                mismatches.add(f"{name}: {type(value).__name__}, recorded {want.__name__}")
    assert parsed and not mismatches, sorted(mismatches)


def test_money_is_in_each_currencys_exponent(store):
    """JPY without decimals, KWD with three, the others with two: as Braintree writes them."""
    seen: dict[str, set[int]] = defaultdict(set)
    for rec in store.records["transactions"].values():
        amount = rec.el.findtext("amount")
        decimals = len(amount.partition(".")[2])
        seen[rec.el.findtext("currency-iso-code")].add(decimals)
    assert seen["JPY"] == {0}
    assert all(v == {2} for c, v in seen.items() if c not in ("JPY", "KWD")), dict(seen)
    if "KWD" in seen:
        assert seen["KWD"] == {3}
