from decimal import Decimal

import pytest

from ledgerdesk.money import exponent, format_money, to_major


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [
        (12345, "USD", Decimal("123.45")),
        (1500, "JPY", Decimal("1500")),
        (1234, "KWD", Decimal("1.234")),
        (-5, "eur", Decimal("-0.05")),
    ],
)
def test_minor_units_become_exact_major_units(minor, currency, major):
    assert to_major(minor, currency) == major


def test_exponents_of_zero_and_three_decimal_currencies():
    assert (exponent("JPY"), exponent("USD"), exponent("KWD")) == (0, 2, 3)


def test_formatting_keeps_every_digit():
    assert format_money(123456789, "USD") == "1,234,567.89 USD"
    assert format_money(1500, "JPY") == "1,500 JPY"
    assert format_money(1001, "KWD") == "1.001 KWD"


def test_floats_and_unknown_currencies_are_refused():
    with pytest.raises(TypeError):
        to_major(12.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown currency"):
        to_major(1, "XYZ")


def test_amounts_without_the_code_keep_every_digit():
    from ledgerdesk.money import format_amount

    assert format_amount(12205266, "EUR") == "122,052.66"
    assert format_amount(2144800, "JPY") == "2,144,800"
    assert format_amount(-3120, "KWD") == "-3.120"


# --- Gateway exponents: ISO 4217 as the base, the gateway's API exceptions on top. ---
# Hand-written from Stripe's currency documentation (docs.stripe.com/currencies):
# (minor amount, currency, gateway, context) -> (major, formatted).
STRIPE_TABLE = [
    (100, "ISK", "stripe", "charge", Decimal("1.00"), "1.00 ISK"),  # Stripe keeps 2 decimals
    (100, "ISK", None, "charge", Decimal("100"), "100 ISK"),  # ISO 4217: 0 decimals
    (500, "UGX", "stripe", "charge", Decimal("5.00"), "5.00 UGX"),  # "to charge 5 UGX: 500"
    (500, "UGX", None, "charge", Decimal("500"), "500 UGX"),
    (60000, "HUF", "stripe", "charge", Decimal("600.00"), "600.00 HUF"),
    (60000, "HUF", "stripe", "payout", Decimal("600.00"), "600.00 HUF"),
    (123456, "TWD", "stripe", "payout", Decimal("1234.56"), "1,234.56 TWD"),
    (500, "JPY", "stripe", "charge", Decimal("500"), "500 JPY"),
    (500, "JPY", None, "charge", Decimal("500"), "500 JPY"),
    (1230, "KWD", "stripe", "charge", Decimal("1.230"), "1.230 KWD"),
    (1234, "KWD", None, "charge", Decimal("1.234"), "1.234 KWD"),
    (1500, "MGA", "stripe", "charge", Decimal("1500"), "1,500 MGA"),  # Stripe: zero-decimal
    (1500, "MGA", None, "charge", Decimal("15.00"), "15.00 MGA"),  # ISO 4217: 2
    (1999, "USD", "stripe", "payout", Decimal("19.99"), "19.99 USD"),
]


@pytest.mark.parametrize(("minor", "currency", "gateway", "context", "major", "text"), STRIPE_TABLE)
def test_stripe_amounts_as_stripe_documents_them(minor, currency, gateway, context, major, text):
    assert to_major(minor, currency, gateway, context) == major
    assert format_money(minor, currency, gateway, context) == text


def test_exponents_per_gateway_and_context():
    assert exponent("ISK") == 0 and exponent("ISK", "stripe") == 2
    assert exponent("UGX") == 0 and exponent("UGX", "stripe", "payout") == 2
    assert exponent("HUF", "stripe") == 2 and exponent("HUF", "stripe", "payout") == 2
    assert exponent("MGA") == 2 and exponent("MGA", "stripe") == 0
    assert exponent("KWD", "stripe") == 3 and exponent("JPY", "stripe") == 0
    with pytest.raises(ValueError, match="unknown context"):
        exponent("USD", "stripe", "refund")


def test_amounts_the_gateway_refuses():
    from ledgerdesk.money import accepts

    # HUF and TWD payouts are whole units (divisible by 100); charges may carry fillér.
    assert accepts(60000, "HUF", "stripe", "payout")
    assert not accepts(60050, "HUF", "stripe", "payout")
    assert accepts(60050, "HUF", "stripe", "charge")
    assert accepts(123400, "TWD", "stripe", "payout")
    assert not accepts(123456, "TWD", "stripe", "payout")
    assert not accepts(150, "ISK", "stripe") and accepts(150, "ISK")
    assert not accepts(1234, "KWD", "stripe") and accepts(1230, "KWD", "stripe")
    assert accepts(1234, "KWD")


# Every currency Stripe lists as a presentment currency (docs.stripe.com/currencies, 2026),
# with the ISO 4217 exponent of each non-two-decimal one, written out by hand.
_STRIPE_TEXT = """
USD AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP
GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT
LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD
STD SZL THB TJS TND TOP TRY TTD TWD TZS UAH UGX UYU UZS VND VUV WST XAF XCD XCG XOF XPF YER
ZAR ZMW
"""
STRIPE_CURRENCIES = _STRIPE_TEXT.split()

_ZERO, _THREE = (
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF",
    "BHD JOD KWD OMR TND",
)
ISO_NOT_TWO = {**dict.fromkeys(_ZERO.split(), 0), **dict.fromkeys(_THREE.split(), 3)}


def test_the_seed_has_every_stripe_currency_with_its_iso_exponent():
    from ledgerdesk.money import exponents

    assert len(STRIPE_CURRENCIES) == len(set(STRIPE_CURRENCIES)) == 140
    seeded = exponents()
    assert sorted(set(STRIPE_CURRENCIES) - set(seeded)) == []
    assert {c: seeded[c] for c in STRIPE_CURRENCIES} == {
        c: ISO_NOT_TWO.get(c, 2) for c in STRIPE_CURRENCIES
    }


def test_the_exception_table_names_only_seeded_currencies():
    from ledgerdesk.money import exponents, gateway_exceptions

    table = gateway_exceptions()
    assert {currency for _, currency, _ in table} <= set(exponents())
    assert {context for _, _, context in table} <= {"charge", "payout", "*"}
    # Stripe's exceptions, hand-written: currency -> (charge exponent, payout exponent).
    stripe = {
        c: (exponent(c, "stripe", "charge"), exponent(c, "stripe", "payout"))
        for c in STRIPE_CURRENCIES
        if (exponent(c, "stripe", "charge"), exponent(c, "stripe", "payout"))
        != (exponent(c), exponent(c))
    }
    assert stripe == {"ISK": (2, 2), "UGX": (2, 2), "MGA": (0, 0)}
