"""One person across gateways on the lookup page: Ana Multi pays through Stripe and through
the hand-written second gateway `testpay` (second_gateway.py) under three customers matched
by email, external id and VAT id. Any of her ids, at either gateway, finds her, and the page
shows one timeline naming each row's gateway. Expected rows are written by hand from
second_gateway.py."""

from __future__ import annotations

import pytest

from tests.dashboards.test_lookup_page import run_page

TIMELINE = [
    ("stripe", "ch_multi", "payment_succeeded"),
    ("testpay", "TP-D1", "dispute_opened"),
    ("testpay", "TP-S1", "subscription_started"),
    ("testpay", "TP-T1", "payment_succeeded"),
    ("testpay", "TP-T2", "payment_failed"),
]
CUSTOMERS = [
    ("stripe", "cus_multi", "email", "ana.multi@example.com"),
    ("testpay", "TP-C1", "email", "ana.multi@example.com"),
    ("testpay", "TP-C2", "external_id", "EXT-42"),
    ("testpay", "TP-C3", "tax_id", "DE999888777"),
]


def _timeline(at) -> list[tuple[str, str, str]]:
    (table,) = at.dataframe
    value = table.value
    return sorted(zip(value["gateway"], value["object_id"], value["event_type"], strict=True))


def _customers(at) -> list[tuple[str, str, str, str]]:
    (table,) = at.table
    value = table.value
    columns = ("gateway", "customer_id", "match_method", "matched_on")
    return sorted(zip(*(value[c] for c in columns), strict=True))


@pytest.mark.parametrize(
    "term",
    [
        "cus_multi",  # Stripe customer
        "ch_multi",  # Stripe charge
        "TP-C3",  # testpay customer matched by VAT id only
        "TP-T2",  # testpay transaction of that customer
        "TP-S1",  # testpay subscription
        "TP-D1",  # testpay dispute
        "testpay:main:TP-T1",  # the warehouse key
        " ANA@other.EXAMPLE ",  # the email of TP-C2 (external id), messily typed
    ],
)
def test_any_gateway_id_finds_the_one_person(dashboard_env, term):
    at = run_page(term)
    assert [s.value for s in at.subheader] == ["Ana Multi"]
    assert _timeline(at) == TIMELINE
    assert _customers(at) == CUSTOMERS


def test_the_person_s_money_and_open_disputes_cover_both_gateways(dashboard_env):
    at = run_page("TP-C2")
    paid = {m.label: m.value for m in at.metric if m.label.startswith("Paid")}
    assert paid == {"Paid (JPY)": "2,500 JPY", "Paid (USD)": "50.00 USD"}
    (open_disputes,) = [m for m in at.metric if m.label == "Open disputes"]
    assert open_disputes.value == "1"  # TP-D1 needs a response
