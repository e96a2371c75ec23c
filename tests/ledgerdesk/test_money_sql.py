"""The dbt macro `to_major` against a hand-written table: the real seeds loaded by `dbt seed`,
the macro compiled by dbt, the SQL run by DuckDB, results compared as exact Decimals."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")

# amount_minor, currency, gateway -> (major with the gateway's exponent, major with ISO's)
EXPECTED = [
    (100, "ISK", "stripe", Decimal("1.000"), Decimal("100.000")),
    (100, "ISK", None, Decimal("100.000"), Decimal("100.000")),
    (500, "UGX", "stripe", Decimal("5.000"), Decimal("500.000")),
    (60000, "HUF", "stripe", Decimal("600.000"), Decimal("600.000")),
    (1234, "KWD", "stripe", Decimal("1.234"), Decimal("1.234")),
    (1500, "JPY", "stripe", Decimal("1500.000"), Decimal("1500.000")),
    (1500, "MGA", "stripe", Decimal("1500.000"), Decimal("15.000")),
    (-5, "EUR", "stripe", Decimal("-0.050"), Decimal("-0.050")),
    (99999999999999, "USD", "paypal", Decimal("999999999999.990"), Decimal("999999999999.990")),
    (7, "XYZ", "stripe", None, None),
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
        f"({minor}, '{currency}', {_sql_text(gateway)}, {i})"
        for i, (minor, currency, gateway, _, _) in enumerate(EXPECTED)
    )
    inline = (
        f"with t as (select * from (values {values}) as v(amount_minor, currency, gateway, n)) "
        "select n, {{ to_major('amount_minor', 'currency', 'gateway') }} as by_gateway, "
        "{{ to_major('amount_minor', 'currency') }} as by_iso from t order by n"
    )
    sql = _dbt(["compile", "-q", "--inline", inline], work)
    con = duckdb.connect(str(work / "w.duckdb"), read_only=True)
    try:
        relation = con.sql(sql)
        types = [str(t) for t in relation.types]
        return types, relation.fetchall()
    finally:
        con.close()


def test_the_macro_is_exact_decimal(macro_results):
    types, _ = macro_results
    assert types[1:] == ["DECIMAL(38,3)", "DECIMAL(38,3)"]


def test_the_macro_uses_the_gateway_exponent_when_given_one(macro_results):
    _, rows = macro_results
    assert rows == [(i, e[3], e[4]) for i, e in enumerate(EXPECTED)]
