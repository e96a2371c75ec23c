"""The parse check every raw object passes before landing, driven by the Stripe entity table."""

from __future__ import annotations

import pytest

from gateways.stripe.entities import ENTITIES
from gateways.stripe.validate import problem_with

CHARGE = {
    "id": "ch_123",
    "object": "charge",
    "created": 1_760_000_000,
    "amount": 1200,
    "amount_captured": 1200,
    "amount_refunded": 0,
    "currency": "usd",
}


def test_a_well_formed_charge_passes():
    assert problem_with(ENTITIES["charges"], CHARGE) is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"amount": "12.00"},
            "charges ch_123: amount is str '12.00', expected integer minor units",
        ),
        ({"amount": 12.0}, "charges ch_123: amount is float 12.0, expected integer minor units"),
        ({"amount": True}, "charges ch_123: amount is bool True, expected integer minor units"),
        ({"currency": None}, "charges ch_123: currency is null, not in the currency table"),
        ({"currency": "usdx"}, "charges ch_123: currency is str 'usdx', not in the currency"),
        ({"currency": "xyz"}, "charges ch_123: currency is str 'xyz', not in the currency"),
        ({"amount_captured": None}, "charges ch_123: amount_captured is null, expected integer"),
        ({"object": "refund"}, "charges ch_123: object is str 'refund', expected 'charge'"),
        ({"id": "re_123"}, "charges re_123: id does not start with ch_ or py_"),
        ({"id": ""}, "charges: id is str '', expected a non-empty string"),
        ({"created": "2026-01-01"}, "charges ch_123: created is str '2026-01-01', expected Unix"),
    ],
)
def test_broken_fields_are_named_in_the_reason(change, reason):
    assert problem_with(ENTITIES["charges"], {**CHARGE, **change}).startswith(reason)


def test_a_missing_created_is_named():
    no_created = {k: v for k, v in CHARGE.items() if k != "created"}
    assert "created is missing" in problem_with(ENTITIES["charges"], no_created)


# Objects as an account pinned to 2020-08-27 sends them (tests/specs/stripe/spec3.json): each
# lacks a money field the pinned version has. They are readable, so they land.
OLDER_SHAPES = {
    "charges": {
        "id": "ch_old", "object": "charge", "created": 1_600_000_000, "amount": 500,
        "amount_refunded": 0, "currency": "usd", "invoice": "in_old",
    },
    "customers": {"id": "cus_old", "object": "customer", "created": 1, "currency": "eur"},
    "payment_intents": {
        "id": "pi_old", "object": "payment_intent", "created": 1, "amount": 500,
        "amount_received": 500, "currency": "jpy", "invoice": "in_old",
    },
    "invoices": {
        "id": "in_old", "object": "invoice", "created": 1, "currency": "usd",
        "amount_due": 500, "amount_paid": 500, "subtotal": 500, "total": 500,
        "subscription": "sub_old", "total_tax_amounts": [],
    },
}  # fmt: skip


@pytest.mark.parametrize("entity", sorted(OLDER_SHAPES))
def test_an_older_shape_lacking_a_newer_money_field_passes(entity):
    assert problem_with(ENTITIES[entity], OLDER_SHAPES[entity]) is None


@pytest.mark.parametrize(
    ("entity", "field"),
    [("charges", "amount"), ("payment_intents", "amount_received"), ("invoices", "total")],
)
def test_money_that_is_present_must_still_be_integer_minor_units(entity, field):
    broken = {**OLDER_SHAPES[entity], field: "5.00"}
    assert problem_with(ENTITIES[entity], broken).endswith(
        f"{field} is str '5.00', expected integer minor units"
    )


def test_a_currency_is_read_in_either_case_and_must_be_in_the_currency_table():
    assert problem_with(ENTITIES["charges"], {**CHARGE, "currency": "JPY"}) is None
    assert problem_with(ENTITIES["charges"], {**CHARGE, "currency": "kwd"}) is None
    assert "not in the currency table" in problem_with(
        ENTITIES["charges"], {**CHARGE, "currency": "abc"}
    )


def test_not_an_object_at_all():
    assert problem_with(ENTITIES["charges"], ["ch_1"]) == (
        "charges: item is list, expected a JSON object"
    )


def test_nullable_currency_and_money_where_stripe_allows_null():
    customer = {"id": "cus_1", "object": "customer", "created": 1, "balance": 0, "currency": None}
    assert problem_with(ENTITIES["customers"], customer) is None
    invoice = {
        "id": "in_1", "object": "invoice", "created": 1, "currency": "jpy",
        "amount_due": 500, "amount_paid": 500, "amount_remaining": 0, "subtotal": 500,
        "total": 500, "starting_balance": 0, "ending_balance": None,
    }  # fmt: skip
    assert problem_with(ENTITIES["invoices"], invoice) is None
    assert "ending_balance is str" in problem_with(
        ENTITIES["invoices"], {**invoice, "ending_balance": "0"}
    )


def test_tax_rates_have_no_currency_or_money():
    rate = {"id": "txr_1", "object": "tax_rate", "created": 1, "percentage": 25.5}
    assert problem_with(ENTITIES["tax_rates"], rate) is None
