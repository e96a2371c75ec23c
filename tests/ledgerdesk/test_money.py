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
