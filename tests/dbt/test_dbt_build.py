"""`dbt build` on a rendered sandbox business: every model, data test and unit test passes,
and the marts agree to the minor unit with the generator's own totals (computed from the
neutral model, independently of the Stripe rendering and of SQL)."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

import duckdb
import pytest


@pytest.fixture(scope="module")
def marts(built_warehouse):
    warehouse, run = built_warehouse
    assert run.returncode == 0, run.output[-6000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def _rows(con, sql: str) -> list[tuple]:
    return con.sql(sql).fetchall()


def test_build_runs_every_node_and_all_pass(built_warehouse):
    _, run = built_warehouse
    assert run.returncode == 0, run.output[-6000:]
    results = json.loads((run.target_dir / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"]: r["status"] for r in results}
    failed = {uid: s for uid, s in statuses.items() if s not in ("success", "pass", "no-op")}
    assert failed == {}
    kinds = {uid.split(".")[0] for uid in statuses}
    assert {"model", "test", "unit_test", "seed"} <= kinds


def _by_month(table: dict) -> dict[tuple[str, str], int]:
    return {key: row["amount"] for key, row in table.items()}


def test_monthly_revenue_equals_generator_totals(marts, sandbox_business):
    totals = sandbox_business.totals
    rows = _rows(
        marts,
        "select strftime(month, '%Y-%m'), currency, gross_minor, refunds_minor, "
        "disputes_lost_minor, net_minor from marts.rpt_revenue_monthly",
    )
    gross = {(m, c): g for m, c, g, _, _, _ in rows if g}
    refunds = {(m, c): r for m, c, _, r, _, _ in rows if r}
    lost = {(m, c): d for m, c, _, _, d, _ in rows if d}
    net = {(m, c): n for m, c, _, _, _, n in rows}
    assert gross == _by_month(totals["payments"])
    assert refunds == _by_month(totals["refunds"])
    assert lost == _by_month(totals["lost_disputes"])
    assert net == dict(totals["net_revenue"])
    assert lost, "the sandbox history should include lost disputes"


def test_lifetime_revenue_per_person_adds_up_to_net_revenue(marts, sandbox_business):
    expected: dict[str, int] = {}
    for (_, currency), amount in sandbox_business.totals["net_revenue"].items():
        expected[currency] = expected.get(currency, 0) + amount
    rows = _rows(
        marts, "select currency, sum(net_minor) from marts.fct_customer_revenue group by 1"
    )
    assert {currency: int(net) for currency, net in rows} == expected


def test_tax_by_rate_equals_generator_totals(marts, sandbox_business):
    rows = _rows(
        marts,
        "select country, percentage, currency, is_reverse_charge, taxable_minor, tax_minor, "
        "invoices_count from marts.rpt_tax_by_rate",
    )
    got = {
        (country, Decimal(pct), cur): (taxable, tax, count, rc)
        for country, pct, cur, rc, taxable, tax, count in rows
    }
    expected = {
        (country, Decimal(pct), cur): (
            row["taxable"],
            row["tax"],
            row["invoices"],
            row["taxability_reason"] == "reverse_charge",
        )
        for (country, pct, cur), row in sandbox_business.totals["tax"].items()
    }
    assert got == expected
    assert any(rc for *_, rc in expected.values()), "reverse charge should appear"


def test_row_counts_equal_object_counts(marts, sandbox_business):
    counts = sandbox_business.totals["counts"]
    tables = {
        "customers": "intermediate.int_customers_unioned where not is_deleted",
        "persons": "marts.dim_customers",
        "subscriptions": "marts.fct_subscriptions",
        "invoices": "marts.fct_invoices",
        "invoice_lines": "intermediate.int_invoice_lines_unioned",
        "payment_intents": "staging.stg_stripe__payment_intents",
        "charges": "marts.fct_payments",
        "refunds": "marts.fct_refunds",
        "disputes": "marts.fct_disputes",
    }
    got = {entity: _rows(marts, f"select count(*) from {t}")[0][0] for entity, t in tables.items()}
    assert got == counts


def test_persons_are_customers_grouped_by_normalized_email(marts, rendered_objects):
    # Independent of SQL: Python's NFC + strip + casefold-lower over the rendered emails.
    def norm(email):
        text = unicodedata.normalize("NFC", email or "").strip().lower()
        return text or None

    listed = [c for c in rendered_objects["customers"] if not c.get("deleted")]
    expected = set()
    for customer in listed:
        key = norm(customer.get("email"))
        expected.add(("email", key) if key else ("customer", customer["id"]))
    persons = _rows(marts, "select count(*), sum(customers_count) from marts.dim_customers")[0]
    assert persons == (len(expected), len(listed))


def test_persons_match_the_generators_people(marts, sandbox_business, rendered_objects):
    # The generator knows who is who; render_business keeps its customer order, so the i-th
    # rendered customer is the i-th neutral one. Customers of one person share one person_id.
    mapping = dict(
        _rows(
            marts,
            "select source_customer_id, person_id from intermediate.int_persons "
            "join intermediate.int_customers_unioned using (customer_id)",
        )
    )
    by_person: dict[int, set[str]] = {}
    for neutral, rendered in zip(
        sandbox_business.customers, rendered_objects["customers"], strict=True
    ):
        if rendered.get("deleted"):  # a tombstone is no person
            assert rendered["id"] not in mapping
            continue
        by_person.setdefault(neutral.person_id, set()).add(mapping[rendered["id"]])
    split = {person: ids for person, ids in by_person.items() if len(ids) > 1}
    assert split == {}
    assert len(by_person) < len(rendered_objects["customers"]), "some people sign up twice"
