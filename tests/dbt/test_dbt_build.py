"""`dbt build` on a rendered sandbox business: every model, data test and unit test passes,
and the marts agree to the minor unit with the generator's own totals (computed from the
neutral model, independently of the Stripe rendering and of SQL).

The generator counts in Stripe's units (ISK two-decimal: 2,700 kr is 270000); the intermediate
contracts and the marts in ISO 4217 minor units (2,700 kr is 2700). The truth is converted
here through the money table (`ledgerdesk.money`: Stripe's exponent vs ISO's), never through
the models' SQL."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

import duckdb
import pytest

from tests.truth import REVENUE_ROWS_SQL, iso_minor, revenue_rows


def test_iso_minor_converts_by_the_money_table():
    assert iso_minor(270_000, "ISK") == 2_700 and iso_minor(270_000, "UGX") == 2_700
    assert iso_minor(1_500, "MGA") == 150_000
    assert [iso_minor(1_234, c) for c in ("USD", "JPY", "KWD")] == [1_234] * 3
    with pytest.raises(AssertionError):
        iso_minor(270_050, "ISK")


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


def test_monthly_revenue_equals_generator_totals(marts, sandbox_business):
    expected = revenue_rows(sandbox_business.totals)
    assert _rows(marts, REVENUE_ROWS_SQL) == expected
    assert any(row[4] for row in expected), "the sandbox history should include lost disputes"
    assert any(row[1] == "ISK" for row in expected), "ISK (Stripe two-decimal, ISO none)"


def test_lifetime_revenue_per_person_adds_up_to_net_revenue(marts, sandbox_business):
    expected: dict[str, int] = {}
    for (_, currency), amount in sandbox_business.totals["net_revenue"].items():
        expected[currency] = expected.get(currency, 0) + iso_minor(amount, currency)
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
            iso_minor(row["taxable"], cur),
            iso_minor(row["tax"], cur),
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
    generators: dict[int, set[str]] = {}
    for neutral, rendered in zip(
        sandbox_business.customers, rendered_objects["customers"], strict=True
    ):
        if rendered.get("deleted"):  # a tombstone is no person
            assert rendered["id"] not in mapping
            continue
        generators.setdefault(neutral.person_id, set()).add(rendered["id"])
    marts_people: dict[str, set[str]] = {}
    for customer_id, person_id in mapping.items():
        marts_people.setdefault(person_id, set()).add(customer_id)
    # The same partition of customers into people: nobody split, nobody merged.
    assert sorted(map(sorted, marts_people.values())) == sorted(map(sorted, generators.values()))
    assert len(generators) < len(mapping), "some people sign up twice"


def _embedded(parent: dict, key: str) -> list[dict]:
    value = parent.get(key) or []
    return value.get("data", []) if isinstance(value, dict) else value


# (intermediate contract, column) <- (rendered entity, the Stripe field): every money column of
# the contracts the sandbox fills, summed per currency. Lines take their parent's currency.
MONEY_COLUMNS = [
    ("int_payments_unioned", "amount_minor", "charges", None, "amount"),
    ("int_payments_unioned", "amount_captured_minor", "charges", None, "amount_captured"),
    ("int_payments_unioned", "amount_refunded_minor", "charges", None, "amount_refunded"),
    ("int_refunds_unioned", "amount_minor", "refunds", None, "amount"),
    ("int_disputes_unioned", "amount_minor", "disputes", None, "amount"),
    ("int_customers_unioned", "balance_minor", "customers", None, "balance"),
    (
        "int_subscription_items_unioned",
        "unit_amount_minor",
        "subscriptions",
        "items",
        "price.unit_amount",
    ),
    ("int_invoices_unioned", "subtotal_minor", "invoices", None, "subtotal"),
    ("int_invoices_unioned", "total_minor", "invoices", None, "total"),
    ("int_invoices_unioned", "amount_due_minor", "invoices", None, "amount_due"),
    ("int_invoices_unioned", "amount_paid_minor", "invoices", None, "amount_paid"),
    ("int_invoices_unioned", "amount_remaining_minor", "invoices", None, "amount_remaining"),
    ("int_invoice_lines_unioned", "amount_minor", "invoices", "lines", "amount"),
    ("int_credit_notes_unioned", "subtotal_minor", "credit_notes", None, "subtotal"),
    ("int_credit_notes_unioned", "total_minor", "credit_notes", None, "total"),
    ("int_credit_notes_unioned", "out_of_band_minor", "credit_notes", None, "out_of_band_amount"),
    ("int_credit_note_lines_unioned", "amount_minor", "credit_notes", "lines", "amount"),
]


@pytest.mark.parametrize(("table", "column", "entity", "child", "field"), MONEY_COLUMNS)
def test_intermediate_money_is_in_iso_minor_units(
    marts, rendered_objects, table, column, entity, child, field
):
    expected: dict[str, int] = defaultdict(int)
    for obj in rendered_objects[entity]:
        if obj.get("deleted") or not obj.get("currency"):
            continue
        currency = obj["currency"].upper()
        for row in _embedded(obj, child) if child else [obj]:
            value = row
            for key in field.split("."):
                value = (value or {}).get(key)
            if value is not None:
                expected[currency] += iso_minor(value, currency)
    got = dict(_rows(marts, f"select currency, sum({column}) from intermediate.{table} "
                            f"where currency is not null group by 1"))  # fmt: skip
    # Currencies whose amounts are all zero or absent on both sides say nothing.
    assert {c: int(v) for c, v in got.items() if v} == {c: v for c, v in expected.items() if v}
    if entity in ("charges", "invoices", "subscriptions") and field in (
        "amount",
        "subtotal",
        "total",
        "price.unit_amount",
    ):
        assert expected.get("ISK"), "ISK (Stripe two-decimal, ISO none) is covered"


def test_credit_notes_equal_the_generators(marts, sandbox_business):
    """Every credit note of the history, by month and currency: totals, tax, out-of-band
    part and count, against the generator's own figures."""
    got = _rows(
        marts,
        "select strftime(created_at, '%Y-%m'), currency, sum(total_minor)::bigint, "
        "sum(tax_minor)::bigint, count(*), sum(coalesce(out_of_band_minor, 0))::bigint "
        "from intermediate.int_credit_notes_unioned group by all order by 1, 2",
    )
    expected = [
        (month, cur, iso_minor(row["total"], cur), iso_minor(row["tax"], cur), row["count"],
         iso_minor(row["out_of_band"], cur))
        for (month, cur), row in sorted(sandbox_business.totals["credit_notes"].items())
    ]  # fmt: skip
    assert got == expected
    assert expected, "the sandbox history should include credit notes"


def test_each_customer_is_linked_by_the_generators_rule(marts, sandbox_business, rendered_objects):
    """totals["identity"]: the rule that must link each listed customer to its person
    (email, external_id, tax_id, standalone), computed by the generator from the neutral
    data; the marts' rule for the same customer (rendered in the generator's order)."""
    rendered_id = {
        neutral.id: rendered["id"]
        for neutral, rendered in zip(
            sandbox_business.customers, rendered_objects["customers"], strict=True
        )
    }
    expected = sorted((rendered_id[row[3]], row[4]) for row in sandbox_business.totals["identity"])
    got = _rows(
        marts,
        "select source_customer_id, match_method from marts.dim_customer_identities order by 1",
    )
    assert sorted(got) == expected
    rules = {rule for _, rule in expected}
    assert {"email", "external_id", "tax_id", "standalone"} <= rules, rules
