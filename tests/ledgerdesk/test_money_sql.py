"""The dbt money macros against a hand-written table: the real seeds loaded by `dbt seed`, the
macros compiled by dbt, the SQL run by DuckDB, results compared as exact integers and Decimals.
`to_iso_minor` turns a gateway's amount into ISO 4217 minor units (DECISIONLOG.md, 2026-12-01:
ISO 4217 minor units); `to_major` reads ISO 4217 only. `decimal_to_minor` (a gateway's
decimal text) is checked against its Python twin on the same examples."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from gateways.braintree.entities import ENTITIES as BRAINTREE_ENTITIES
from gateways.braintree.entities import EXPONENTS as BRAINTREE_EXPONENTS
from gateways.braintree.entities import money_problem as braintree_money_problem
from gateways.paypal.money import PAYPAL_CURRENCIES
from gateways.paypal.money import money_problem as paypal_money_problem
from ledgerdesk.money import decimal_places, decimal_to_minor, exponent, exponents

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")

# amount in the gateway's units, currency -> (ISO minor units from Stripe, from a gateway with
# no exception rows (ISO units as sent), to_major of the Stripe value)
EXPECTED = [
    (270000, "ISK", 2700, 270000, Decimal("2700.000")),  # 2,700 kr: Stripe two-decimal
    (100, "ISK", 1, 100, Decimal("1.000")),
    (-270000, "ISK", -2700, -270000, Decimal("-2700.000")),
    (270050, "ISK", None, 270050, None),  # 2,700.50 kr is no whole krona: NULL, not rounded
    (270099, "ISK", None, 270099, None),
    (270000, "UGX", 2700, 270000, Decimal("2700.000")),
    (1500, "MGA", 150000, 1500, Decimal("1500.000")),  # Stripe zero-decimal, ISO 2
    (-7, "MGA", -700, -7, Decimal("-7.000")),
    (60000, "HUF", 60000, 60000, Decimal("600.000")),  # the payout rule is not a charge's
    (60050, "HUF", 60050, 60050, Decimal("600.500")),
    (1235, "KWD", 1235, 1235, Decimal("1.235")),  # ends-in-0 is a charge rule, not a unit
    (1500, "JPY", 1500, 1500, Decimal("1500.000")),
    (-5, "EUR", -5, -5, Decimal("-0.050")),
    (99999999999999, "USD", 99999999999999, 99999999999999, Decimal("999999999999.990")),
    # Exact beyond a double's 2^53: 9007199254740993 kr.
    (
        900719925474099300,
        "ISK",
        9007199254740993,
        900719925474099300,
        Decimal("9007199254740993.000"),
    ),
    (7, "XYZ", 7, 7, None),  # unknown currency: no exception, so as sent; no exponent
    (None, "ISK", None, None, None),
]


def _dbt(args: list[str], work: Path) -> str:
    env = {
        "PATH": str(DBT.parent),
        "HOME": str(work),
        "LEDGERDESK_WAREHOUSE": str(work / "w.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    proc = subprocess.run(
        [str(DBT), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def _sql_text(value: str | None) -> str:
    return "null" if value is None else f"'{value}'"


@pytest.fixture(scope="module")
def macro_results(tmp_path_factory):
    work = tmp_path_factory.mktemp("money_sql")
    _dbt(["seed", "-q", "--select", "currencies", "currencies_gateway_exceptions"], work)
    values = ", ".join(
        f"(cast({'null' if minor is None else minor} as bigint), '{currency}', {i})"
        for i, (minor, currency, *_) in enumerate(EXPECTED)
    )
    inline = (
        f"with t as (select * from (values {values}) as v(amount_minor, currency, n)), "
        "converted as (select n, currency, "
        "{{ to_iso_minor('amount_minor', 'currency', 'stripe') }} as from_stripe, "
        "{{ to_iso_minor('amount_minor', 'currency', 'no_such_gateway') }} as from_other from t) "
        "select n, from_stripe, from_other, {{ to_major('from_stripe', 'currency') }} as major "
        "from converted order by n"
    )
    sql = _dbt(["compile", "-q", "--inline", inline], work)
    con = duckdb.connect(str(work / "w.duckdb"), read_only=True)
    try:
        relation = con.sql(sql)
        types = [str(t) for t in relation.types]
        return types, relation.fetchall()
    finally:
        con.close()


def test_the_macros_are_exact_integers_and_decimals(macro_results):
    types, _ = macro_results
    assert types[1:] == ["BIGINT", "BIGINT", "DECIMAL(38,3)"]


def test_gateway_amounts_become_iso_minor_units_exactly(macro_results):
    _, rows = macro_results
    assert rows == [(i, *e[2:]) for i, e in enumerate(EXPECTED)]


# The decimal-text rule, one in Python (ledgerdesk.money.decimal_to_minor) and one in dbt
# (macros/money.sql): the same examples through both, whole results compared, and each against
# the examples' hand-written expected value (DECISIONLOG.md, 2026-12-01: decimal amounts).
EXAMPLES_CSV = PROJECT_DIR / "seeds" / "decimal_amount_examples.csv"


def _examples() -> list[dict[str, str]]:
    with EXAMPLES_CSV.open(newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def dbt_decimals(tmp_path_factory):
    """util_decimal_amounts and util_decimal_places as dbt builds them on the real seeds."""
    work = tmp_path_factory.mktemp("money_decimals")
    _dbt(["build", "-q", "--select", "util_decimal_amounts", "util_decimal_places",
          "decimal_amount_examples", "currencies", "currencies_gateway_exceptions",
          "--indirect-selection", "cautious"], work)  # fmt: skip
    con = duckdb.connect(str(work / "w.duckdb"), read_only=True)
    try:
        amounts = con.sql(
            "select gateway, amount_text, currency, amount_minor from staging.util_decimal_amounts"
        ).fetchall()
        places = con.sql(
            "select gateway, currency, decimals_allowed from staging.util_decimal_places"
        ).fetchall()
        return amounts, places
    finally:
        con.close()


def test_python_and_dbt_convert_every_example_alike(dbt_decimals):
    examples = _examples()
    expected = sorted(
        (e["gateway"], e["amount_text"], e["currency"],
         int(e["expected_minor"]) if e["expected_minor"] else None)
        for e in examples
    )  # fmt: skip
    python = sorted(
        (e["gateway"], e["amount_text"], e["currency"],
         decimal_to_minor(e["amount_text"], e["currency"], e["gateway"]))
        for e in examples
    )  # fmt: skip
    dbt, _ = dbt_decimals
    assert len(dbt) == len(expected) > 30
    assert python == expected
    assert sorted(dbt) == expected


def test_python_and_dbt_allow_the_same_decimals_for_every_gateway_and_currency(dbt_decimals):
    _, places = dbt_decimals
    gateways = {g for g, *_ in places}
    assert {"stripe", "braintree", "paypal"} <= gateways
    assert len(places) == len(gateways) * len(exponents())
    python = sorted((g, c, decimal_places(c, g)) for g in gateways for c in exponents())
    assert sorted(places) == python
    # the exceptions that matter here, by hand: PayPal HUF and TWD whole, Stripe ISK whole ISO
    allowed = {(g, c): n for g, c, n in places}
    assert allowed["paypal", "HUF"] == allowed["paypal", "TWD"] == 0
    assert allowed["braintree", "HUF"] == allowed["paypal", "USD"] == 2
    assert allowed["stripe", "ISK"] == allowed["paypal", "JPY"] == 0
    assert allowed["braintree", "KWD"] == 3


def _braintree_checks(text: str, currency: str) -> tuple[bool, bool, bool]:
    """Whether Braintree's extractor accepts `text` in `currency`: the money check, a
    transaction's amount, and a subscription add-on's amount (in the subscription's currency)."""
    base = {"id": "x", "created_at": "2026-01-01T00:00:00Z"}
    sale = {**base, "currency_iso_code": currency, "amount": text}
    subscription = {**base, "status_history": [{"currency_iso_code": currency}],
                    "add_ons": [{"id": "a", "amount": text, "quantity": 1}]}  # fmt: skip
    return (
        braintree_money_problem(text, currency, "amount") is None,
        BRAINTREE_ENTITIES["transactions"].problem(sale) is None,
        BRAINTREE_ENTITIES["subscriptions"].problem(subscription) is None,
    )


def test_the_gateways_validate_with_the_same_rule():
    """The extractors' checks (Braintree's amounts, a subscription's add-ons, PayPal's money
    objects) accept exactly the examples the seed's hand-written expected value converts."""
    expected, got = [], []
    for e in _examples():
        text, currency, gateway = e["amount_text"], e["currency"], e["gateway"]
        accepted = e["expected_minor"] != ""
        if gateway == "paypal" and currency in PAYPAL_CURRENCIES:
            money = {"currency_code": currency, "value": text}
            expected.append((gateway, text, currency, accepted))
            got.append((gateway, text, currency, paypal_money_problem(money) is None))
        if gateway == "braintree" and currency in BRAINTREE_EXPONENTS:
            expected.append((gateway, text, currency, (accepted,) * 3))
            got.append((gateway, text, currency, _braintree_checks(text, currency)))
    assert len(got) > 20 and {g for g, *_ in got} == {"braintree", "paypal"}
    assert got == expected
    iso = {c: exponent(c) for c in BRAINTREE_EXPONENTS}
    assert iso == BRAINTREE_EXPONENTS  # Braintree has no exception rows: ISO 4217's
