"""Staging and intermediate read Stripe's own example objects, including older API shapes
(invoice.subscription, total_tax_amounts, tax), and link invoices, payments and persons.
Expectations are read from the Python objects themselves."""

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
    invoice_of_intent = {
        p["payment"]["payment_intent"]: inv["id"]
        for inv in objects["invoices"]
        for p in inv["payments"]["data"]
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
