"""PostgreSQL landing equals DuckDB landing: the same batches land in both, and the whole raw
and bookkeeping tables are compared row by row; a DuckDB warehouse copied to PostgreSQL
(ledgerdesk/raw_copy.py) equals its source table by table."""

from __future__ import annotations

import json
import re
import uuid

import duckdb
import pytest

psycopg = pytest.importorskip("psycopg")

from ledgerdesk.raw_copy import copy_warehouse  # noqa: E402
from pipelines.extract import landing  # noqa: E402
from pipelines.extract.batch import LandingBatch  # noqa: E402
from pipelines.extract.engines import postgres  # noqa: E402
from pipelines.extract.landing import LandingCounts  # noqa: E402

ACCOUNT = "acct_1"
RAW = "raw_stripe.charges"


def _with_dbname(dsn: str, dbname: str) -> str:
    if re.search(r"\bdbname\s*=", dsn):
        return re.sub(r"\bdbname\s*=\s*\S+", f"dbname={dbname}", dsn)
    return f"{dsn} dbname={dbname}"


@pytest.fixture
def pg_dsn():
    """A fresh database of this test's own, dropped at the end."""
    admin = postgres.pg_dsn()
    try:
        admin_conn = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL unreachable at {postgres.safe_dsn(admin)}: {error}")
    name = f"ledgerdesk_t_{uuid.uuid4().hex}"
    with admin_conn:
        admin_conn.execute(f"create database {name}")
        try:
            yield _with_dbname(admin, name)
        finally:
            admin_conn.execute(f"drop database if exists {name} with (force)")


def _charge(object_id: str, amount: int) -> dict:
    return {"id": object_id, "object": "charge", "created": 1_700_000_000, "amount": amount}


def _batch(**kwargs) -> LandingBatch:
    return LandingBatch("stripe", ACCOUNT, "charges", **kwargs)


def _duck_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    raw = con.sql(
        f"select account_id, id, created, payload::varchar, payload_hash, version_at,"
        f" listed_at, synced_at is not null from {RAW} order by account_id, id"
    ).fetchall()
    quarantine = con.sql(
        "select gateway, account_id, entity, object_id, reason, raw_text, raw_hash"
        " from ledgerdesk.quarantine order by raw_hash"
    ).fetchall()
    cursors = con.sql(
        "select gateway, account_id, entity, cursor::varchar from ledgerdesk.cursors"
        " order by gateway, account_id, entity"
    ).fetchall()
    return _parsed(raw, quarantine, cursors)


def _pg_rows(conn) -> dict[str, list[tuple]]:
    raw = conn.execute(
        f"select account_id, id, created, payload::text, payload_hash, version_at,"
        f" listed_at, synced_at is not null from {RAW} order by account_id, id"
    ).fetchall()
    quarantine = conn.execute(
        "select gateway, account_id, entity, object_id, reason, raw_text, raw_hash"
        " from ledgerdesk.quarantine order by raw_hash"
    ).fetchall()
    cursors = conn.execute(
        "select gateway, account_id, entity, cursor::text from ledgerdesk.cursors"
        " order by gateway, account_id, entity"
    ).fetchall()
    return _parsed(raw, quarantine, cursors)


def _parsed(raw, quarantine, cursors) -> dict[str, list[tuple]]:
    return {
        "raw": [(*r[:3], json.loads(r[3]), *r[4:]) for r in raw],
        "quarantine": [tuple(q) for q in quarantine],
        "cursors": [(*c[:3], json.loads(c[3])) for c in cursors],
    }


def _land_both(duck, pg, batch: LandingBatch) -> LandingCounts:
    duck_counts = landing.land_into(duck, batch)
    pg_counts = postgres.land_into_postgres(pg, batch)
    assert pg_counts == duck_counts
    assert _pg_rows(pg) == _duck_rows(duck)
    return pg_counts


def test_postgres_landing_equals_duckdb(pg_dsn, tmp_path):
    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    with postgres.connect(pg_dsn) as pg:
        first = _batch(cursor={"after": "ch_2"})
        first.add(_charge("ch_1", 100), 100)
        first.add(_charge("ch_2", 200), 100)
        first.add_quarantined({"id": "ch_3", "amount": "not a number"}, "amount: not an int")
        assert _land_both(duck, pg, first) == LandingCounts(inserted=2, quarantined=1)
        assert postgres.read_cursor(pg, "stripe", ACCOUNT, "charges") == {"after": "ch_2"}

        # A changed payload wins; an older version arriving later does not; a quarantined
        # object landing clean leaves the quarantine.
        second = _batch(cursor={"after": "ch_3"})
        second.add(_charge("ch_1", 150), 200)
        second.add(_charge("ch_2", 999), 50)
        second.add(_charge("ch_3", 300), 100)
        assert _land_both(duck, pg, second) == LandingCounts(inserted=1, updated=1, unchanged=1)
        rows = {r[1]: r for r in _pg_rows(pg)["raw"]}
        assert (rows["ch_1"][3]["amount"], rows["ch_1"][5]) == (150, 200)
        assert (rows["ch_2"][3]["amount"], rows["ch_2"][5]) == (200, 100)
        assert _pg_rows(pg)["quarantine"] == []

        # A full listing that saw ch_1 and ch_3 only: ch_2 (version 100 < its start) goes.
        listing = _batch(listed_at=300, prune_before=300, cursor={"after": None})
        listing.add(_charge("ch_1", 150), 200)
        listing.add(_charge("ch_3", 300), 100)
        assert _land_both(duck, pg, listing) == LandingCounts(unchanged=2, removed=1)
        assert [(r[1], r[6]) for r in _pg_rows(pg)["raw"]] == [("ch_1", 300), ("ch_3", 300)]

        # A failing batch commits neither its rows nor its cursor.
        before = _pg_rows(pg)
        failing = _batch(cursor={"after": "ch_9"})
        failing.add(_charge("ch_9", 900), 400)
        failing.payloads[0] = "{not json"
        with pytest.raises(duckdb.Error):
            landing.land_into(duck, failing)
        with pytest.raises(psycopg.Error):
            postgres.land_into_postgres(pg, failing)
        assert _pg_rows(pg) == before == _duck_rows(duck)
        assert postgres.read_cursor(pg, "stripe", ACCOUNT, "charges") == {"after": None}
    duck.close()


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


def test_raw_copy_equals_source(pg_dsn, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duck = duckdb.connect(str(warehouse))
    charges = _batch(cursor={"after": "ch_2"}, listed_at=10)
    charges.add(_charge("ch_1", 100), 100)
    charges.add(_charge("ch_2", 200), 100)
    charges.add_quarantined({"id": "ch_3"}, "missing amount")
    landing.land_into(duck, charges)
    refunds = LandingBatch("stripe", ACCOUNT, "refunds", cursor=7)
    refunds.add({"id": "re_1", "created": 5, "amount": 1}, 5)
    landing.land_into(duck, refunds)
    tables = ["ledgerdesk.cursors", "ledgerdesk.quarantine", RAW, "raw_stripe.refunds"]
    source = {table: _duck_table(duck, table) for table in tables}
    duck.close()

    with postgres.connect(pg_dsn) as pg:
        for _ in range(2):  # re-running gives the same rows
            copied = {c.table: c.source_rows for c in copy_warehouse(warehouse, pg)}
            assert copied == {table: len(rows) for table, rows in source.items()}
            assert copied == {
                "ledgerdesk.cursors": 2,
                "ledgerdesk.quarantine": 1,
                RAW: 2,
                "raw_stripe.refunds": 1,
            }
            for table, rows in source.items():
                assert _pg_table(pg, table) == rows, table


def test_an_object_holding_nul_is_quarantined_alike_and_the_batch_lands(pg_dsn, tmp_path):
    """jsonb refuses U+0000: without the rule the whole batch (and every retry) would fail on
    PostgreSQL, its cursor never moving; with it the object is quarantined on both engines,
    its raw text kept, and the rest lands. A backslash followed by `u0000` is plain text."""
    from pipelines.extract.batch import NUL_REASON

    duck = duckdb.connect(str(tmp_path / "w.duckdb"))
    with postgres.connect(pg_dsn) as pg:
        batch = _batch(cursor={"after": "ch_3"})
        assert batch.add({**_charge("ch_1", 100), "description": "a\x00b"}, 100) == NUL_REASON
        assert batch.add({**_charge("ch_2", 200), "description": "C:\\u0000"}, 100) is None
        assert batch.add(_charge("ch_3", 300), 100) is None
        assert _land_both(duck, pg, batch) == LandingCounts(inserted=2, quarantined=1)
        rows = _pg_rows(pg)
        assert [(r[1], r[3].get("description")) for r in rows["raw"]] == [
            ("ch_2", "C:\\u0000"),
            ("ch_3", None),
        ]
        assert [(q[3], q[4], json.loads(q[5])["description"]) for q in rows["quarantine"]] == [
            ("ch_1", NUL_REASON, "a\x00b")
        ]
        assert postgres.read_cursor(pg, "stripe", ACCOUNT, "charges") == {"after": "ch_3"}
