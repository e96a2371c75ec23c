"""The dbt money macros against a hand-written table: the real seeds loaded by `dbt seed`, the
macros compiled by dbt, the SQL run by DuckDB, results compared as exact integers and Decimals.
`to_iso_minor` turns a gateway's amount into ISO 4217 minor units (DECISIONLOG.md, 2026-12-01:
ISO 4217 minor units); `to_major` reads ISO 4217 only."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

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
