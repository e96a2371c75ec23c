"""PostgreSQL's own landing case: a DuckDB warehouse copied to PostgreSQL
(ledgerdesk/raw_copy.py) equals its source table by table. The landing scenario it shares
with Spark (newest version wins, quarantine, marks, pruning, cursor, U+0000) is
test_landing_engines.py's. The database is tests/pg_database.py's (pg_warehouse)."""

from __future__ import annotations

import json

import duckdb
import pytest

pytest.importorskip("psycopg")

from ledgerdesk.raw_copy import copy_warehouse
from pipelines.extract import landing
from pipelines.extract.engines import postgres
from tests.pipelines.landing_engines import RAW, batch, charge


def _duck_table(con, table: str) -> list[tuple]:
    columns = [c[0] for c in con.sql(f"describe {table}").fetchall()]
    rows = con.sql(f"select * from {table}").fetchall()
    return _normalised(columns, rows)


def _pg_table(conn, table: str) -> list[tuple]:
    cur = conn.execute(f"select * from {table}")
    return _normalised([d.name for d in cur.description], cur.fetchall())


def _normalised(columns, rows) -> list[tuple]:
    def value(column, v):
        if column in ("payload", "cursor") and isinstance(v, str):
            return json.loads(v)
        if hasattr(v, "timestamp"):
            return round(v.timestamp() * 1_000_000)
        return v

    return sorted(
        (tuple(value(c, v) for c, v in zip(columns, row, strict=True)) for row in rows), key=repr
    )


def test_raw_copy_equals_source(pg_warehouse, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duck = duckdb.connect(str(warehouse))
    charges = batch(cursor={"after": "ch_2"}, listed_at=10)
    charges.add(charge("ch_1", 100), 100)
    charges.add(charge("ch_2", 200), 100)
    charges.add_quarantined({"id": "ch_3"}, "missing amount")
    landing.land_into(duck, charges)
    refunds = batch("refunds", cursor=7)
    refunds.add({"id": "re_1", "created": 5, "amount": 1}, 5)
    landing.land_into(duck, refunds)
    tables = [
        "ledgerdesk.cursors", "ledgerdesk.quarantine", "ledgerdesk.raw_stamps", RAW,
        "raw_stripe.refunds",
    ]  # fmt: skip
    source = {table: _duck_table(duck, table) for table in tables}
    duck.close()

    with postgres.connect(pg_warehouse.dsn()) as pg:
        for _ in range(2):  # re-running gives the same rows
            copied = {c.table: c.source_rows for c in copy_warehouse(warehouse, pg)}
            assert copied == {table: len(rows) for table, rows in source.items()}
            assert copied == {
                "ledgerdesk.cursors": 2,
                "ledgerdesk.quarantine": 1,
                "ledgerdesk.raw_stamps": 2,
                RAW: 2,
                "raw_stripe.refunds": 1,
            }
            for table, rows in source.items():
                assert _pg_table(pg, table) == rows, table
