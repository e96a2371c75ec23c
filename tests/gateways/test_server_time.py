"""The gateway's clock from its Date header, one helper for every transport."""

from __future__ import annotations

import pytest

from gateways.braintree.transport import BraintreeTransport
from gateways.paypal.transport import PayPalTransport
from gateways.server_time import server_time
from gateways.stripe.transport import StripeTransport


def never() -> float:
    raise AssertionError("the Date header was readable: our clock is not asked")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Tue, 01 Dec 2026 12:00:00 GMT", 1_796_126_400),
        ("Tue, 01 Dec 2026 13:00:00 +0100", 1_796_126_400),  # an offset is honoured
    ],
)
def test_the_date_header_is_the_gateways_clock(date, expected):
    assert server_time({"date": date}, never) == expected


@pytest.mark.parametrize("headers", [{}, {"date": ""}, {"date": "yesterday"}])
def test_no_readable_date_falls_back_to_our_clock(headers):
    assert server_time(headers, lambda: 1_700_000_000.9) == 1_700_000_000


def test_every_transport_reads_its_time_through_the_one_helper(monkeypatch):
    import gateways.server_time as helper

    calls = []

    def unreadable(date: str):
        calls.append(date)
        raise ValueError(date)

    monkeypatch.setattr(helper, "parsedate_to_datetime", unreadable)
    for cls in (StripeTransport, BraintreeTransport, PayPalTransport):
        transport = cls.__new__(cls)  # only _server_time is exercised
        transport._clock = lambda: 5.0
        assert transport._server_time({"date": "odd"}) == 5, cls
    assert calls == ["odd"] * 3
