"""Staging and intermediate read Stripe's own example objects, including older API shapes
(invoice.subscription, total_tax_amounts, tax), and link invoices, payments and persons.
Expectations are read from the Python objects themselves, or, for the hand-written account
of edge_cases.py (fields older versions lack, tombstones, invoice_payments, events, credit
notes), written out by hand as whole tables."""

from __future__ import annotations

import duckdb
import pytest

from tests.dbt.conftest import run_dbt
from tests.dbt.fixture_objects import fixture_objects
from tests.dbt.raw_warehouse import load_raw_stripe

MODELS = "+int_invoices_unioned +int_payments_unioned +int_persons +int_invoice_lines_unioned"


@pytest.fixture(scope="module")
def objects():
    return fixture_objects(14)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, objects):
    work = tmp_path_factory.mktemp("dbt_shapes")
    path = work / "warehouse.duckdb"
    load_raw_stripe(path, objects)
    # The intermediate models read the currency seeds (to_iso_minor), which `dbt run` skips.
    seeded = run_dbt(["seed"], path, work)
    assert seeded.returncode == 0, seeded.output[-4000:]
    run = run_dbt(["run", "--select", MODELS], path, work)
    assert run.returncode == 0, run.output[-4000:]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchall()


def test_invoice_subscription_and_tax_in_both_shapes(warehouse, objects):
    legacy = [inv for inv in objects["invoices"] if "total_taxes" not in inv]
    assert legacy, "the fixture set must hold older shapes"
    for inv in objects["invoices"]:
        sub = (
            inv["parent"]["subscription_details"]["subscription"]
            if "parent" in inv
            else inv["subscription"]
        )
        taxes = inv.get("total_taxes") or inv["total_tax_amounts"]
        row = _one(
            warehouse,
            "select subscription_id, tax_minor, currency from intermediate.int_invoices_unioned "
            "where source_invoice_id = ?",
            inv["id"],
        )
        assert row == [
            (f"stripe:main:{sub}", sum(t["amount"] for t in taxes), inv["currency"].upper())
        ]


def test_payments_link_to_their_invoice_through_the_payment_intent(warehouse, objects):
    # From the invoice_payments entity; in_2 also carries an (expanded) invoice.payments
    # naming another intent, which staging must ignore.
    assert any("payments" in inv for inv in objects["invoices"])
    invoice_of_intent = {
        p["payment"]["payment_intent"]: p["invoice"] for p in objects["invoice_payments"]
    }
    for charge in objects["charges"]:
        row = _one(
            warehouse,
            "select invoice_id from intermediate.int_payments_unioned where source_payment_id = ?",
            charge["id"],
        )
        assert row == [(f"stripe:main:{invoice_of_intent[charge['payment_intent']]}",)]


def test_every_line_arrives_with_its_proration_flag(warehouse, objects):
    expected = sorted(
        (line["id"], line["parent"][line["parent"]["type"]]["proration"])
        for inv in objects["invoices"]
        for line in inv["lines"]["data"]
    )
    got = _one(
        warehouse,
        "select source_invoice_line_id, is_proration from intermediate.int_invoice_lines_unioned "
        "order by 1",
    )
    assert got == expected


def test_persons_group_messy_emails_and_keep_emailless_customers_apart(warehouse, objects):
    def norm(email):
        return (email or "").strip().lower() or None

    expected_persons = {norm(c["email"]) or c["id"] for c in objects["customers"]}
    got = _one(warehouse, "select count(distinct person_id) from intermediate.int_persons")
    assert got == [(len(expected_persons),)]


# --- The hand-written account (tests/dbt/edge_cases.py): expected tables written by hand.


def _all(con, sql: str) -> list[tuple]:
    return con.sql(sql).fetchall()


def test_fields_older_versions_lack_are_derived_or_null(edge):
    charges = _all(
        edge,
        "select charge_id, status, is_captured, amount_captured_minor "
        "from staging.stg_stripe__charges order by charge_id",
    )
    assert charges == [
        ("ch_e1", "succeeded", True, 1000),  # no amount_captured: captured, so the amount
        ("ch_e2", "succeeded", False, 0),  # no amount_captured: not captured, 0
        ("ch_e3", "pending", True, 400),
        ("ch_e4", "succeeded", True, 2000),
        ("ch_e5", "succeeded", True, 5000),
        ("ch_e6", "succeeded", True, 3000),
        ("ch_e7", "failed", False, 0),
    ]
    customers = _all(
        edge,
        "select customer_id, balance_minor, is_deleted from staging.stg_stripe__customers "
        "order by customer_id",
    )
    assert customers == [
        ("cus_del", None, True),
        ("cus_e1", -500, False),  # account_balance, the name before 2019-10-17
        ("cus_e2", 0, False),
        ("cus_e3", 0, False),
        ("cus_e4", None, False),  # neither: NULL
        ("cus_e5", 0, False),
    ]
    intents = _all(
        edge,
        "select payment_intent_id, amount_capturable_minor "
        "from staging.stg_stripe__payment_intents order by 1",
    )
    assert intents == [("pi_e1", None), ("pi_e4", 0), ("pi_e5", 0)]
    invoices = _all(
        edge,
        "select invoice_id, status, amount_remaining_minor, is_deleted "
        "from staging.stg_stripe__invoices order by 1",
    )
    assert invoices == [
        ("in_del", None, None, True),
        ("in_e_a", "paid", 0, False),
        ("in_e_b", "open", 600, False),  # no amount_remaining: amount_due - amount_paid
        ("in_e_legacy", "paid", 0, False),  # no amount_remaining, paid: 0
        ("in_e_pi", "paid", 0, False),
    ]


def test_invoice_of_each_payment_from_invoice_payments_else_the_older_links(edge):
    got = _all(
        edge,
        "select source_payment_id, payment_intent_id, invoice_id, invoices_count "
        "from marts.fct_payments order by 1",
    )
    assert got == [
        ("ch_e1", "stripe:main:pi_e1", "stripe:main:in_e_legacy", 1),  # charge.invoice
        ("ch_e2", None, None, 0),
        ("ch_e3", None, None, 0),
        ("ch_e4", "stripe:main:pi_e4", "stripe:main:in_e_a", 2),  # pays two: the paid one
        ("ch_e5", "stripe:main:pi_e5", "stripe:main:in_e_pi", 1),  # payment_intent.invoice
        ("ch_e6", None, None, 0),
        ("ch_e7", None, None, 0),
    ]


def test_marts_leave_deleted_customers_and_invoices_out(edge):
    persons = _all(
        edge,
        "select email_normalized, customer_ids from marts.dim_customers order by 1 nulls last",
    )
    assert persons == [
        ("quiet@example.com", ["stripe:main:cus_e4"]),
        ("zoë .ng@example.com", ["stripe:main:cus_e3"]),  # an inner space: another person
        ("zoë.ng@example.com", ["stripe:main:cus_e1", "stripe:main:cus_e2"]),
        (None, ["stripe:main:cus_e5"]),
    ]
    invoices = _all(edge, "select source_invoice_id from marts.fct_invoices order by 1")
    assert invoices == [("in_e_a",), ("in_e_b",), ("in_e_legacy",), ("in_e_pi",)]
    # The deleted customer's payment stays (money moved), without a person.
    deleted = _all(
        edge,
        "select customer_id, person_id from marts.fct_payments where source_payment_id = 'ch_e6'",
    )
    assert deleted == [("stripe:main:cus_del", None)]


def test_events_and_credit_notes_are_staged(edge):
    events = _all(
        edge,
        "select event_id, event_type, api_version, object_id, object_type "
        "from staging.stg_stripe__events order by 1",
    )
    assert events == [
        ("evt_e1", "charge.dispute.created", "2024-06-20", "dp_e5", "dispute"),
        ("evt_e2", "charge.dispute.closed", "2020-08-27", "dp_e5", "dispute"),
        ("evt_e3", "charge.dispute.closed", "2026-10-28.endive", "dp_e5", "dispute"),
        ("evt_e4", "customer.deleted", "2026-10-28.endive", "cus_del", "customer"),
    ]
    notes = _all(
        edge,
        "select credit_note_id, invoice_id, status, currency, amount_minor, total_minor, "
        "tax_minor, refund_ids from staging.stg_stripe__credit_notes order by 1",
    )
    assert notes == [
        ("cn_e1", "in_e_a", "issued", "USD", 500, 500, 0, ["re_e4a"]),
        ("cn_e2", "in_e_legacy", "void", "USD", 100, 110, 10, []),
    ]
    lines = _all(
        edge,
        "select credit_note_line_id, credit_note_id, line_type, invoice_line_id, amount_minor, "
        "tax_minor, quantity from staging.stg_stripe__credit_note_lines order by 1",
    )
    assert lines == [
        ("cnli_e1a", "cn_e1", "invoice_line_item", "il_e_a1", 300, 0, 1),
        ("cnli_e1b", "cn_e1", "custom_line_item", None, 200, 0, 2),
        ("cnli_e2a", "cn_e2", "custom_line_item", None, 100, 10, 1),
    ]


def test_credit_notes_conform_to_their_contract(edge):
    notes = _all(
        edge,
        "select credit_note_id, invoice_id, customer_id, status, credit_note_type, currency, "
        "subtotal_minor, tax_minor, total_minor, refunds_count "
        "from intermediate.int_credit_notes_unioned order by 1",
    )
    assert notes == [
        ("stripe:main:cn_e1", "stripe:main:in_e_a", "stripe:main:cus_e3", "issued",
         "post_payment", "USD", 500, 0, 500, 1),
        ("stripe:main:cn_e2", "stripe:main:in_e_legacy", "stripe:main:cus_e1", "void",
         "pre_payment", "USD", 100, 10, 110, 0),
    ]  # fmt: skip
    lines = _all(
        edge,
        "select credit_note_line_id, credit_note_id, invoice_line_id, amount_minor, tax_minor, "
        "currency from intermediate.int_credit_note_lines_unioned order by 1",
    )
    assert lines == [
        ("stripe:main:cn_e1:cnli_e1a", "stripe:main:cn_e1", "stripe:main:in_e_a:il_e_a1", 300,
         0, "USD"),
        ("stripe:main:cn_e1:cnli_e1b", "stripe:main:cn_e1", None, 200, 0, "USD"),
        ("stripe:main:cn_e2:cnli_e2a", "stripe:main:cn_e2", None, 100, 10, "USD"),
    ]  # fmt: skip


def test_the_email_macro_trims_exactly_what_unicode_calls_white_space(edge):
    """The DuckDB macro dbt stores (and the snapshot carries) against Python's own Unicode
    tables (str.isspace, unicodedata.normalize), for every caseless code point up to
    U+FFFF around and inside an address."""
    import unicodedata

    # Caseless characters only: lower-casing İ or a final Σ differs between libraries, and
    # is not what this test is about.
    chars = [
        chr(c) for c in range(1, 0x10000) if not 0xD800 <= c <= 0xDFFF and chr(c).lower() == chr(c)
    ]
    edge_values = [f"{c}{c}Ab@X{c}y{c}" for c in chars]
    got = edge.execute(
        "select marts.normalize_email(v) from unnest(?) with ordinality as t(v, i) order by i",
        [edge_values],
    ).fetchall()
    expected = [(unicodedata.normalize("NFC", v).strip().lower() or None,) for v in edge_values]
    mismatches = [
        (hex(ord(c)), g, e) for c, (g,), (e,) in zip(chars, got, expected, strict=True) if g != e
    ]
    assert mismatches == []
