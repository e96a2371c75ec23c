"""The same figures on DuckDB and PostgreSQL (issue 16): the hand-written edge-case account
(tests/dbt/edge_cases.py), built on DuckDB by the shared `edge_warehouse` build and on
PostgreSQL once per session from the same raw rows, passes every model, data test, unit
test and contract on both, and every mart is equal row by row with counts. The email rule
is the same function on both engines and in Python. (The all-gateways business is compared
in tests/pipelines/test_all_gateways.py.)"""

from __future__ import annotations

import sys
import time
import unicodedata

import duckdb
import pytest

from tests.dbt.engines import (
    build_counts,
    build_postgres,
    compare_marts,
    copy_raw,
    fresh_database,
)


@pytest.fixture(scope="session")
def edge_postgres(edge_warehouse, tmp_path_factory):
    """(settings, run, seconds): the edge-case raw rows copied to a fresh PostgreSQL
    database and `dbt build --target postgres` run there."""
    warehouse, duck_run = edge_warehouse
    assert duck_run.returncode == 0, duck_run.output[-6000:]
    with fresh_database() as settings:
        start = time.perf_counter()
        copy_raw(warehouse, settings)
        run = build_postgres(settings, tmp_path_factory.mktemp("dbt_edge_pg"), ["build"])
        seconds = time.perf_counter() - start
        print(f"PostgreSQL copy + dbt build: {seconds:.1f} s", file=sys.stderr)
        yield settings, run, seconds


def test_postgres_build_passes_everything_duckdb_passes(edge_warehouse, edge_postgres):
    """Every node passes on PostgreSQL: no error, nothing skipped, the same outcome counts as
    DuckDB's build of the same rows (a test that warns on one warns on the other)."""
    _, duck_run = edge_warehouse
    _, run, _ = edge_postgres
    assert run.returncode == 0, run.output[-6000:]
    counts = build_counts(run)
    assert counts["ERROR"] == 0 and counts["SKIP"] == 0, counts
    assert counts == build_counts(duck_run)
    assert counts["PASS"] > 400


def test_every_mart_is_equal_on_both_engines(edge_warehouse, edge_postgres):
    warehouse, _ = edge_warehouse
    settings, run, _ = edge_postgres
    assert run.returncode == 0, run.output[-6000:]
    rows = compare_marts(warehouse, settings, run.target_dir)
    assert len(rows) >= 10 and sum(rows.values()) > 40, rows


# Every character Python calls white space, the zero-width ones it does not (kept), an NFD
# accent, upper case, an inner space, and nothing but space (NULL).
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
EMAILS = [
    *(f"{space}Re\u0301my@Example.COM{space}" for space in SPACES),
    "\u200bzero@width.example\ufeff",
    "\u180emongolian@x.example",
    "inner space@x.example",
    " ".join(SPACES),
    "",
]


def python_rule(email: str) -> str | None:
    return unicodedata.normalize("NFC", email).strip().lower() or None


def test_the_email_rule_is_one_function_on_both_engines_and_in_python(
    edge_warehouse, edge_postgres
):
    """marts.normalize_email (DuckDB macro, PostgreSQL function, both from macros/emails.sql)
    gives what Python's NFC + str.strip + lower gives, for every Unicode white space."""
    import psycopg

    warehouse, _ = edge_warehouse
    settings, run, _ = edge_postgres
    assert run.returncode == 0, run.output[-6000:]
    expected = [python_rule(email) for email in EMAILS]
    assert expected[0] == "r\u00e9my@example.com" and expected[-1] is None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        duck = [con.execute("select marts.normalize_email(?)", [e]).fetchone()[0] for e in EMAILS]
    with psycopg.connect(**settings) as conn:
        pg = [conn.execute("select marts.normalize_email(%s)", [e]).fetchone()[0] for e in EMAILS]
    assert duck == expected
    assert pg == expected
