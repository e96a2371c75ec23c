"""Decoding the stripe SDK's form encoding, as it is put on the wire."""

from __future__ import annotations

from urllib.parse import urlencode

from stripe._encode import _api_encode

from sandbox.stripe.form import decode_form


def test_sdk_encoding_round_trips():
    params = {
        "limit": 100,
        "created": {"gte": 1700000000, "lt": 1800000000},
        "types": ["charge.refunded", "refund.created"],
        "expand": ["data.customer"],
        "metadata": {"order": "A-1"},
    }
    wire = urlencode(list(_api_encode(params)))
    assert decode_form(wire) == {
        "limit": "100",
        "created": {"gte": "1700000000", "lt": "1800000000"},
        "types": ["charge.refunded", "refund.created"],
        "expand": ["data.customer"],
        "metadata": {"order": "A-1"},
    }


def test_empty_brackets_append_and_the_first_value_wins():
    assert decode_form("types[]=a&types[]=b&limit=3&limit=5") == {
        "types": ["a", "b"],
        "limit": "3",
    }
    assert decode_form(b"created=1700000000&email=") == {"created": "1700000000", "email": ""}
