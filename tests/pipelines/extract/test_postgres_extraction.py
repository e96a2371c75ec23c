"""A real extraction (the Stripe SDK against the sandbox, every Stripe entity, through the
parallel runner) landed in PostgreSQL (`warehouse.engine: postgres`) equals the same
extraction landed in DuckDB: every raw table, the quarantine and the cursors, row for row,
with counts. A PostgreSQL run whose third batch fails keeps the two batches before it and
their cursor, and its rerun resumes to the clean run's warehouse."""

from __future__ import annotations

import time

import duckdb
import orjson
import pytest

from gateways.registry import gateway_modules
from gateways.stripe.entities import ENTITIES
from pipelines.extract.engines import Target, postgres
from pipelines.extract.landing import prepare_tables
from pipelines.extract.parallel import Task, extract_all
from pipelines.extract.runner import extract_entity

psycopg = pytest.importorskip("psycopg")

RAW_COLUMNS = (
    "account_id, id, created, cast(payload as varchar), payload_hash, version_at, listed_at"
)
QUARANTINE = (
    "select gateway, account_id, entity, object_id, reason, raw_text from ledgerdesk.quarantine"
)
CURSORS = "select gateway, account_id, entity, cast(cursor as varchar) from ledgerdesk.cursors"
RAW_TABLES = (
    "select table_schema || '.' || table_name from information_schema.tables"
    " where table_schema like 'raw_%' order by 1"
)
quiet = [].append


class Clock:
    """A run's wall-clock window: the gateway's and our times in a row (version_at,
    listed_at, the cursor's events_checked_at) must fall in it; they are then compared as
    "a time of this run", everything else exactly."""

    def __init__(self) -> None:
        self.start, self.end = int(time.time()) - 1, None

    def stop(self) -> Clock:
        self.end = int(time.time()) + 1
        return self

    def at(self, value: int | None) -> str | None:
        if value is None:
            return None
        assert self.start <= value <= self.end, (value, self.start, self.end)
        return "during the run"


def _state(fetch, clock: Clock) -> dict:
    tables = [t for (t,) in fetch(RAW_TABLES)]
    raw = {
        table: sorted(
            (a, i, c, orjson.loads(p), h, clock.at(v), clock.at(listed))
            for a, i, c, p, h, v, listed in fetch(f"select {RAW_COLUMNS} from {table}")
        )
        for table in tables
    }
    cursors = sorted((g, a, e, _cursor(orjson.loads(c), clock)) for g, a, e, c in fetch(CURSORS))
    return {
        "raw": raw,
        "counts": {table: len(rows) for table, rows in raw.items()},
        "quarantine": sorted(fetch(QUARANTINE)),
        "cursors": cursors,
    }


def _cursor(cursor: dict, clock: Clock) -> str:
    cursor = {**cursor, "events_checked_at": clock.at(cursor.get("events_checked_at"))}
    if cursor.get("resume"):
        started = cursor["resume"].get("listing_started_at")
        cursor["resume"] = {**cursor["resume"], "listing_started_at": clock.at(started)}
    return orjson.dumps(cursor, option=orjson.OPT_SORT_KEYS).decode()


def duck_state(path, clock: Clock) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return _state(lambda q: con.sql(q).fetchall(), clock)


def pg_state(dsn: str, clock: Clock) -> dict:
    with psycopg.connect(dsn) as conn:
        return _state(lambda q: conn.execute(q).fetchall(), clock)


def _extract(target: Target, account) -> tuple[list, Clock]:
    clock = Clock()
    module = gateway_modules()["stripe"]
    for entity in ENTITIES:
        prepare_tables(target, "stripe", entity)  # as the asset does
    tasks = [Task(module, account, entity) for entity in sorted(ENTITIES)]
    outcomes = extract_all(tasks, target, log=quiet, processes=False)
    assert [o.error for o in outcomes] == [None] * len(ENTITIES)
    return outcomes, clock.stop()


def _counts(outcome) -> tuple:
    r = outcome.result
    return (r.entity, r.pages, r.inserted, r.updated, r.unchanged, r.quarantined, r.removed)


def test_a_postgres_extraction_equals_the_duckdb_one(pg_warehouse, account, store, tmp_path):
    duck_path = tmp_path / "w.duckdb"
    pg = Target("postgres", tmp_path / "pg.duckdb", pg_warehouse.dsn())
    duck_outcomes, duck_clock = _extract(Target.duckdb(duck_path), account)
    pg_outcomes, pg_clock = _extract(pg, account)

    duck, landed = duck_state(duck_path, duck_clock), pg_state(pg.dsn, pg_clock)
    assert landed == duck
    assert landed["counts"]["raw_stripe.charges"] == store.count("charges")
    assert len(landed["counts"]) == len(ENTITIES)
    assert sum(landed["counts"].values()) > 1_000
    assert len(landed["cursors"]) == len(ENTITIES)
    assert [_counts(o) for o in pg_outcomes] == [_counts(o) for o in duck_outcomes]
    assert not (tmp_path / "pg.duckdb").exists()  # nothing landed beside PostgreSQL


def test_a_failed_postgres_batch_then_a_rerun_equals_a_clean_run(
    pg_warehouse, account, store, tmp_path, monkeypatch
):
    module = gateway_modules()["stripe"]
    pg = Target("postgres", tmp_path / "pg.duckdb", pg_warehouse.dsn())
    real_upsert, batches = postgres._upsert_rows, []

    def third_fails(conn, table, batch):
        batches.append(len(batch))
        if len(batches) == 3:
            real_upsert(conn, table, batch)  # its rows written, then the transaction fails
            raise RuntimeError("batch 3 refused")
        return real_upsert(conn, table, batch)

    monkeypatch.setattr(postgres, "_upsert_rows", third_fails)
    clock = Clock()
    with pytest.raises(RuntimeError, match="batch 3 refused"):
        extract_entity(module, account, "charges", pg, log=quiet, batch_objects=100)
    monkeypatch.undo()
    with psycopg.connect(pg.dsn) as conn:
        landed = conn.execute("select count(*) from raw_stripe.charges").fetchone()[0]
        assert landed == batches[0] + batches[1] == 200  # pages of 100, one batch each
    with psycopg.connect(pg.dsn) as conn:
        cursor = postgres.read_cursor(conn, "stripe", "main", "charges")
    assert cursor["resume"] is not None and cursor["resume"]["starting_after"] is not None

    resumed = extract_entity(module, account, "charges", pg, log=quiet, batch_objects=100)
    assert resumed.inserted == store.count("charges") - 200
    clean = tmp_path / "clean.duckdb"
    extract_entity(module, account, "charges", clean, log=quiet, batch_objects=100)
    clock.stop()
    assert pg_state(pg.dsn, clock) == duck_state(clean, clock)
    assert pg_state(pg.dsn, clock)["counts"] == {"raw_stripe.charges": store.count("charges")}
