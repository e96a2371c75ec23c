"""The oldest landed row still open (a pending balance transaction), one rule on every engine
(tables.oldest_open_with over each engine's own reading): the field's value is compared as
`->>` gives it, other accounts and other values do not count, a field that is not a plain
name is refused."""

from __future__ import annotations

import pytest

from pipelines.extract.batch import LandingBatch
from pipelines.extract.engines import Target, warehouse_writer
from tests.pg_database import fresh_pg_database

ROWS = {
    "main": [
        {"id": "txn_1", "created": 300, "status": "pending"},
        {"id": "txn_2", "created": 100, "status": "available"},
        {"id": "txn_3", "created": 200, "status": "pending"},
        {"id": "txn_4", "created": 150, "status": 7},
    ],
    "other": [{"id": "txn_9", "created": 50, "status": "pending"}],
}


@pytest.fixture(params=["duckdb", "postgres", "spark"])
def target(request, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    if request.param != "postgres":
        yield Target(request.param, path)
        return
    with fresh_pg_database() as pg:
        yield Target("postgres", path, pg.dsn())


def test_the_oldest_open_row_on_every_engine(target):
    with warehouse_writer(target) as writer:
        for account, rows in ROWS.items():
            writer.prepare_tables("stripe", "balance_transactions")
            batch = LandingBatch("stripe", account, "balance_transactions")
            for row in rows:
                batch.add(row, 1)
            writer.land(batch).result()

        def oldest(field: str, values: tuple[str, ...]) -> int | None:
            return writer.oldest_open_created(
                "stripe", "main", "balance_transactions", field, values
            )

        assert oldest("status", ("pending",)) == 200
        assert oldest("status", ("pending", "7")) == 150  # a number as its JSON text
        assert oldest("status", ("refunded",)) is None
        assert oldest("status') or ('1", ("pending",)) is None
