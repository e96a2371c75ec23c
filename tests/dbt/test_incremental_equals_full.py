"""An incremental build equals a full one, row for row (issue 16, item 7; DECISIONLOG.md,
2026-12-03, room incr): raw set 1 (the edge-case account, tests/dbt/edge_cases.py, plus an
open dispute and an external id, landed at T0, a few rows again at T1) is built in full;
then come a row landed within the lookback and, two months later (T2), a new payment, a
refund that fails a year after it succeeded, a dispute closed, a new customer who merges two
people (person_id changes for rows of any age), a charge pruned from raw and an invoice
deleted (a tombstone). The same warehouse is then built incrementally, and a fresh one from
the same raw rows in full: every mart, contract and incremental model (listed from dbt's
manifest) must be equal with counts, on DuckDB and on PostgreSQL. Hand-written checks beside
it show the changes are in the result."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.dbt.conftest import DbtRun, run_dbt
from tests.dbt.edge_cases import at, edge_case_objects
from tests.dbt.engines import (
    build_postgres,
    compare_relations,
    copy_raw,
    duckdb_table,
    fresh_database,
    postgres_table,
)
from tests.dbt.raw_warehouse import load_raw_stripe

T0 = datetime(2025, 12, 1, tzinfo=UTC)  # raw set 1, landed then
T1 = datetime(2026, 1, 1, tzinfo=UTC)  # a few of its rows landed again: the newest built
T2 = T1 + timedelta(days=60)  # the changes
# Rows of raw set 1 landed again at T1, one per model family, so that each incremental model's
# newest row is T1 and the rest of raw set 1 (T0) is older than its lookback (a day): a row
# of T0 is re-selected only by a rule (a person changed, ...), never by time.
RECENT = {"charges": "ch_e1", "refunds": "re_e2", "disputes": "dp_e6",
          "invoices": "in_e_legacy", "customers": "cus_e2"}  # fmt: skip
# Models only (data and unit tests are the other suites'): the comparison is the check here.
BUILD = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def raw_set_1() -> dict[str, list[dict]]:
    """The edge-case account, with cus_e3 carrying an external id and an open dispute."""
    objects = edge_case_objects()
    for customer in objects["customers"]:
        if customer["id"] == "cus_e3":
            customer["metadata"] = {"external_id": "ext-e3"}
    objects["disputes"].append(OPEN_DISPUTE)
    return objects


OPEN_DISPUTE = {
    "id": "dp_open",
    "object": "dispute",
    "charge": "ch_e1",
    "created": at("2025-03-20 10:00:00"),
    "status": "needs_response",
    "amount": 1000,
    "currency": "usd",
    "reason": "fraudulent",
}


def changes(objects: dict[str, list[dict]]) -> list[tuple[str, str, dict | None, datetime]]:
    """(raw table, id, the object landed, or None: the row pruned from raw, synced_at)."""
    old = {(table, obj["id"]): obj for table, rows in objects.items() for obj in rows}
    refund = old["refunds", "re_e4a"] | {"status": "failed"}  # succeeded 2025-04-05
    closed = OPEN_DISPUTE | {"status": "lost"}
    late = [
        # Landed while the first build read (PostgreSQL's synced_at is its transaction's
        # start): older than the newest row that build saw, within the lookback.
        ("charges", "ch_late", {
            "id": "ch_late", "object": "charge", "created": at("2025-12-31 20:00:00"),
            "status": "succeeded", "amount": 1300, "amount_captured": 1300,
            "amount_refunded": 0, "captured": True, "paid": True, "currency": "eur",
            "customer": "cus_e5",
        }, T1 - timedelta(hours=2)),
    ]  # fmt: skip
    at_t2 = [
        # New: a customer who shares cus_e1's email and cus_e3's external id (two people
        # until now: one from here on, cus_e1's: cus_e3's old rows change person), and a
        # payment of theirs.
        ("customers", "cus_new", {
            "id": "cus_new", "object": "customer", "created": at("2026-02-20 10:00:00"),
            "email": "Zo\u00cb.ng@example.com", "metadata": {"external_id": "ext-e3"}, "balance": 0,
        }),
        ("charges", "ch_new", {
            "id": "ch_new", "object": "charge", "created": at("2026-02-25 10:00:00"),
            "status": "succeeded", "amount": 4200, "amount_captured": 4200,
            "amount_refunded": 0, "captured": True, "paid": True, "currency": "usd",
            "customer": "cus_new",
        }),
        # Late changes to old objects: a refund failing, a dispute closing (its event too).
        ("refunds", "re_e4a", refund),
        ("disputes", "dp_open", closed),
        ("events", "evt_closed", {
            "id": "evt_closed", "object": "event", "created": at("2026-02-26 10:00:00"),
            "type": "charge.dispute.closed", "api_version": "2025-03-31.basil",
            "data": {"object": closed},
        }),
        # Gone: a charge pruned from raw, an invoice deleted on the gateway (its tombstone).
        ("charges", "ch_e7", None),
        ("invoices", "in_e_b", {"id": "in_e_b", "object": "invoice", "deleted": True}),
    ]  # fmt: skip
    return late + [(table, object_id, obj, T2) for table, object_id, obj in at_t2]


def land(execute, json_type: str, marker: str, objects: dict[str, list[dict]]) -> None:
    """The changes, landed as the landing does (a new synced_at on every new or changed row; a
    pruned row deleted). `execute(sql, params)` on either engine."""
    p = marker
    for table, object_id, obj, synced_at in changes(objects):
        if obj is None:
            execute(f"delete from raw_stripe.{table} where id = {p}", [object_id])
            continue
        text = json.dumps(obj, sort_keys=True)
        execute(
            f"insert into raw_stripe.{table}"
            " (account_id, id, created, payload, payload_hash, version_at, synced_at)"
            f" values ('main', {p}, {p}, cast({p} as {json_type}), {p}, {p}, {p})"
            " on conflict (account_id, id) do update set created = excluded.created,"
            " payload = excluded.payload, payload_hash = excluded.payload_hash,"
            " version_at = excluded.version_at, synced_at = excluded.synced_at",
            [object_id, obj.get("created"), text, hashlib.sha256(text.encode()).hexdigest(),
             int(synced_at.timestamp()), synced_at],
        )  # fmt: skip


def land_duckdb(warehouse: Path, objects: dict[str, list[dict]]) -> None:
    with duckdb.connect(str(warehouse)) as con:
        land(lambda sql, params: con.execute(sql, params), "json", "?", objects)


def raw_duckdb(path: Path, changed: bool) -> Path:
    """A warehouse of raw rows only: raw set 1 at T0 (RECENT at T1), then (`changed`) the
    changes."""
    objects = raw_set_1()
    load_raw_stripe(path, objects, synced_at=T0)
    with duckdb.connect(str(path)) as con:
        for table, object_id in RECENT.items():
            con.execute(
                f"update raw_stripe.{table} set synced_at = ? where id = ?", [T1, object_id]
            )
    if changed:
        land_duckdb(path, objects)
    return path


def compared_relations(target_dir: Path) -> list[tuple[str, str]]:
    """Every mart, every intermediate contract and every incremental model, from the build's
    manifest."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    return sorted(
        (node["schema"], node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and (
            node["original_file_path"].startswith("models/marts/")
            or node["config"]["materialized"] == "incremental"
            or node["name"].endswith("_unioned")
        )
    )


def assert_built_incrementally(run: DbtRun, contracts: bool = False) -> None:
    """The second build replaced rows (delete+insert), it did not rebuild the tables."""
    assert run.returncode == 0, run.output[-6000:]
    paths = ["marts/core/fct_payments.sql", "marts/core/fct_customer_timeline.sql"]
    for path in paths + (["intermediate/int_payments_unioned.sql"] if contracts else []):
        compiled = (run.target_dir / "run/ledgerdesk/models" / path).read_text()
        assert "delete from" in compiled and "insert into" in compiled, compiled[:2000]


def assert_changes_are_seen(rows) -> None:
    """What the changes must do, written by hand (the full build's rows): `rows(sql)`."""
    persons = dict(rows("select customer_id, person_id from intermediate.int_persons"))
    merged = persons["stripe:main:cus_e1"]
    assert persons["stripe:main:cus_new"] == persons["stripe:main:cus_e3"] == merged
    assert persons["stripe:main:cus_e4"] != merged
    assert rows(
        "select distinct person_id from marts.fct_payments"
        " where source_payment_id in ('ch_e1', 'ch_e3', 'ch_e4', 'ch_new')"
    ) == [(merged,)]
    assert rows("select count(*) from marts.fct_payments where source_payment_id = 'ch_late'") == [
        (1,)
    ]
    assert rows("select status from marts.fct_refunds where source_refund_id = 're_e4a'") == [
        ("failed",)
    ]
    assert rows("select status from marts.fct_disputes where source_dispute_id = 'dp_open'") == [
        ("lost",)
    ]
    gone = rows(
        "select object_id from marts.fct_customer_timeline"
        " where source_object_id in ('ch_e7', 'in_e_b')"
        " union all select payment_id from marts.fct_payments where source_payment_id = 'ch_e7'"
        " union all select invoice_id from marts.fct_invoices where source_invoice_id = 'in_e_b'"
    )
    assert gone == []


def duckdb_build(warehouse: Path, work: Path, args: list[str] = BUILD) -> DbtRun:
    work.mkdir(parents=True, exist_ok=True)
    run = run_dbt(args, warehouse, work)
    assert run.returncode == 0, run.output[-6000:]
    return run


@pytest.mark.parametrize(
    "contracts",
    [False, True],
    ids=["contracts-tables", "contracts-incremental"],  # vars.incremental_contracts
)
def test_an_incremental_duckdb_build_equals_a_full_one(tmp_path, contracts):
    build = [*BUILD, "--vars", json.dumps({"incremental_contracts": contracts})]
    incremental = raw_duckdb(tmp_path / "incremental.duckdb", changed=False)
    duckdb_build(incremental, tmp_path / "first", build)
    land_duckdb(incremental, raw_set_1())
    run = duckdb_build(incremental, tmp_path / "incremental", build)
    assert_built_incrementally(run, contracts)
    full = raw_duckdb(tmp_path / "full.duckdb", changed=True)
    duckdb_build(full, tmp_path / "full", build)
    with (
        duckdb.connect(str(incremental), read_only=True) as inc,
        duckdb.connect(str(full), read_only=True) as ful,
    ):
        assert_changes_are_seen(lambda sql: ful.sql(sql).fetchall())
        counts = compare_relations(
            compared_relations(run.target_dir),
            lambda schema, name: duckdb_table(inc, schema, name),
            lambda schema, name: duckdb_table(ful, schema, name),
            ("incremental", "full"),
        )
    assert len(counts) >= 20 and counts["marts.fct_customer_timeline"] > 10, counts


@pytest.mark.timeout(900)
def test_an_incremental_postgres_build_equals_a_full_one(tmp_path):
    import psycopg

    objects = raw_set_1()
    with fresh_database() as incremental, fresh_database() as full:
        copy_raw(raw_duckdb(tmp_path / "raw1.duckdb", changed=False), incremental)
        first = build_postgres(incremental, tmp_path / "first", BUILD)
        assert first.returncode == 0, first.output[-6000:]
        with psycopg.connect(incremental.dsn()) as conn:
            land(lambda sql, params: conn.execute(sql, params), "jsonb", "%s", objects)
        run = build_postgres(incremental, tmp_path / "incremental", BUILD)
        assert_built_incrementally(run)
        copy_raw(raw_duckdb(tmp_path / "raw2.duckdb", changed=True), full)
        full_run = build_postgres(full, tmp_path / "full", BUILD)
        assert full_run.returncode == 0, full_run.output[-6000:]
        with psycopg.connect(incremental.dsn()) as inc, psycopg.connect(full.dsn()) as ful:
            for conn in (inc, ful):
                conn.execute("set time zone 'UTC'")
            assert_changes_are_seen(lambda sql: ful.execute(sql).fetchall())
            counts = compare_relations(
                compared_relations(run.target_dir),
                lambda schema, name: postgres_table(inc, schema, name),
                lambda schema, name: postgres_table(ful, schema, name),
                ("incremental", "full"),
            )
    assert len(counts) >= 20 and counts["marts.fct_customer_timeline"] > 10, counts
