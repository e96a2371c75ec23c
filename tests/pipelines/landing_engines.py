"""One landing scenario for every engine (issue 16): the same batches land in DuckDB
(landing.land_into, the reference) and in the engine under test, and after each the whole raw,
quarantine and cursor tables are compared row by row. An engine is a small adapter: land a
batch, read its tables back, its saved cursor, the error a bad batch raises. Used by
tests/pipelines/test_landing_engines.py (PostgreSQL and Spark) and the engines' own tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.extract import landing
from pipelines.extract.batch import LandingBatch
from pipelines.extract.landing import LandingCounts

ACCOUNT = "acct_1"
RAW = "raw_stripe.charges"


def charge(object_id: str, amount: int) -> dict:
    return {"id": object_id, "object": "charge", "created": 1_700_000_000, "amount": amount}


def batch(entity: str = "charges", **kwargs) -> LandingBatch:
    return LandingBatch("stripe", ACCOUNT, entity, **kwargs)


def parsed(raw, quarantine, cursors) -> dict[str, list[tuple]]:
    """Rows as compared: (account_id, id, created, payload parsed, payload_hash, version_at,
    listed_at, has synced_at), quarantine rows, (gateway, account, entity, cursor parsed)."""
    return {
        "raw": [(*r[:3], json.loads(r[3]), *r[4:]) for r in raw],
        "quarantine": [tuple(q) for q in quarantine],
        "cursors": [(*c[:3], json.loads(c[3])) for c in cursors],
    }


RAW_SQL = (
    "select account_id, id, created, payload::{text}, payload_hash, version_at, listed_at,"
    " synced_at is not null from {table} order by account_id, id"
)
QUARANTINE_SQL = (
    "select gateway, account_id, entity, object_id, reason, raw_text, raw_hash"
    " from ledgerdesk.quarantine order by raw_hash"
)
CURSORS_SQL = (
    "select gateway, account_id, entity, cursor::{text} from ledgerdesk.cursors"
    " order by gateway, account_id, entity"
)


def duck_rows(con: duckdb.DuckDBPyConnection, table: str = RAW) -> dict[str, list[tuple]]:
    return parsed(
        con.sql(RAW_SQL.format(text="varchar", table=table)).fetchall(),
        con.sql(QUARANTINE_SQL).fetchall(),
        con.sql(CURSORS_SQL.format(text="varchar")).fetchall(),
    )


@dataclass
class PostgresUnderTest:
    conn: Any  # psycopg.Connection
    failure: type[BaseException]

    def land(self, landing_batch: LandingBatch) -> LandingCounts:
        from pipelines.extract.engines import postgres

        return postgres.land_into_postgres(self.conn, landing_batch)

    def rows(self, table: str = RAW) -> dict[str, list[tuple]]:
        return parsed(
            self.conn.execute(RAW_SQL.format(text="text", table=table)).fetchall(),
            self.conn.execute(QUARANTINE_SQL).fetchall(),
            self.conn.execute(CURSORS_SQL.format(text="text")).fetchall(),
        )

    def read_cursor(self, entity: str = "charges") -> Any:
        from pipelines.extract.engines import postgres

        return postgres.read_cursor(self.conn, "stripe", ACCOUNT, entity)


@dataclass
class SparkUnderTest:
    directory: Path  # the Spark dir; each call opens the store (its writer lock) and closes it
    failure: type[BaseException] = ValueError  # a payload that is not JSON (orjson's error)

    def land(self, landing_batch: LandingBatch) -> LandingCounts:
        from pipelines.extract.engines import spark

        with spark.open_store(self.directory) as store:
            return spark.land_into_spark(store, landing_batch)

    def rows(self, table: str = RAW) -> dict[str, list[tuple]]:
        from pipelines.extract.engines import spark

        with spark.open_store(self.directory) as store:
            raw = [
                (r["account_id"], r["id"], r["created"], r["payload"], r["payload_hash"],
                 r["version_at"], r["listed_at"], r["synced_at"] is not None)
                for r in store.rows(table).to_pylist()
            ]  # fmt: skip
            cursors = [(*c[:3], json.dumps(c[3])) for c in spark.cursor_rows(store)]
            return parsed(raw, spark.quarantine_rows(store), cursors)

    def read_cursor(self, entity: str = "charges") -> Any:
        from pipelines.extract.engines import spark

        with spark.open_store(self.directory) as store:
            return spark.read_cursor(store, "stripe", ACCOUNT, entity)


@contextmanager
def engine_under_test(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    """The adapter of engine `name`: PostgreSQL on a fresh database of the test's own
    (tests/pg_database.py's pg_warehouse: skips, a failure under CI=true, without a server),
    Spark on a folder of tmp_path."""
    if name == "spark":
        yield SparkUnderTest(tmp_path / "spark")
        return
    assert name == "postgres", name
    psycopg = pytest.importorskip("psycopg")
    from pipelines.extract.engines import postgres

    database = request.getfixturevalue("pg_warehouse")
    with postgres.connect(database.dsn()) as conn:
        yield PostgresUnderTest(conn, psycopg.Error)


def land_both(duck: duckdb.DuckDBPyConnection, engine, landing_batch: LandingBatch):
    """The batch landed in DuckDB and the engine: the same counts, the same tables after."""
    duck_counts = landing.land_into(duck, landing_batch)
    engine_counts = engine.land(landing_batch)
    assert engine_counts == duck_counts
    assert engine.rows() == duck_rows(duck)
    return engine_counts
