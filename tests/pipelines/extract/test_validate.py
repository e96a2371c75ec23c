"""The parse check every raw object passes before landing, driven by the Stripe entity table."""

from __future__ import annotations

import pytest

from gateways.stripe.entities import ENTITIES
from pipelines.extract.validate import problem_with

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
        ({"currency": None}, "charges ch_123: currency is null, expected a 3-letter ISO code"),
        ({"currency": "usdx"}, "charges ch_123: currency is str 'usdx', expected a 3-letter"),
        ({"object": "refund"}, "charges ch_123: object is str 'refund', expected 'charge'"),
        ({"id": "re_123"}, "charges re_123: id does not start with ch_ or py_"),
        ({"id": ""}, "charges: id is str '', expected a non-empty string"),
        ({"created": "2026-01-01"}, "charges ch_123: created is str '2026-01-01', expected Unix"),
    ],
)
def test_broken_fields_are_named_in_the_reason(change, reason):
    assert problem_with(ENTITIES["charges"], {**CHARGE, **change}).startswith(reason)


def test_missing_fields_are_named():
    no_created = {k: v for k, v in CHARGE.items() if k != "created"}
    assert "created is missing" in problem_with(ENTITIES["charges"], no_created)
    no_amount = {k: v for k, v in CHARGE.items() if k != "amount"}
    assert "amount is missing" in problem_with(ENTITIES["charges"], no_amount)


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
