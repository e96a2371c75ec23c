"""assert_braintree_amounts_convert_exactly lists every Braintree amount text that is not exact
in its currency's exponent (a subscription's add-ons in the subscription's currency), on
hand-written landed rows: the extractor quarantines such objects, so this is the warehouse's
own guard (warn: real data can do it), and a NULL minor amount never passes unseen."""

from __future__ import annotations

import json

import duckdb

from tests.ledgerdesk.test_money_sql import _dbt

TEST = "assert_braintree_amounts_convert_exactly"
CREATED = "2026-01-01T00:00:00Z"
LANDED = {
    "transactions": [
        {"id": "t1", "amount": "10.00", "currency_iso_code": "USD"},
        {"id": "t2", "amount": "1500.5", "currency_iso_code": "JPY"},
        {"id": "t3", "amount": "1500.00", "currency_iso_code": "JPY"},  # exact: 1500
    ],
    "plans": [
        {"id": "p1", "price": "9.995", "currency_iso_code": "USD"},
        {"id": "p2", "price": "1.235", "currency_iso_code": "KWD"},
    ],
    "subscriptions": [
        {
            "id": "s1", "price": "3000", "balance": "0.5",
            "status_history": [{"currency_iso_code": "JPY"}],
            "add_ons": [{"id": "a1", "amount": "1500.5", "quantity": 1},
                        {"id": "a2", "amount": "1500.00", "quantity": 2}],
        },
    ],
}  # fmt: skip


def test_every_inexact_braintree_amount_is_listed(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw_braintree")
    for table, objects in LANDED.items():
        con.execute(
            f"create table raw_braintree.{table} (account_id varchar, id varchar, "
            "created bigint, payload json, payload_hash varchar, version_at bigint, "
            "synced_at timestamptz)"
        )
        for obj in objects:
            payload = json.dumps({**obj, "created_at": CREATED})
            con.execute(
                f"insert into raw_braintree.{table} values ('acct', ?, 0, ?, 'h', 0, now())",
                [obj["id"], payload],
            )
    con.close()
    _dbt(["seed", "-q", "--select", "currencies", "currencies_gateway_exceptions"], tmp_path)
    _dbt(["run", "-q", "--select", f"+{TEST}", "--exclude", "resource_type:seed"], tmp_path)
    _dbt(["compile", "-q", "--select", TEST], tmp_path)
    (compiled,) = (tmp_path / "target" / "compiled").rglob(f"{TEST}.sql")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        rows = sorted(con.sql(compiled.read_text()).fetchall())
    finally:
        con.close()
    assert rows == [
        ("plans.price", "9.995", "USD"),
        ("subscriptions.add_ons.amount", "1500.5", "JPY"),
        ("subscriptions.balance", "0.5", "JPY"),
        ("transactions.amount", "1500.5", "JPY"),
    ]
