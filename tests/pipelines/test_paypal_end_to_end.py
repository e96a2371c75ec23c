"""PayPal end to end: the real SDK against the PayPal sandbox over loopback, the one runner,
real DuckDB and real dbt. One server, one extraction and one dbt build shared by the module.

Truth is the generator's own: PayPal's share of the business (`share(business, "paypal",
"sandbox").totals`), never a rule re-written here."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.extract.landing import read_cursor
from sandbox.kit.faults import FaultPlan
from sandbox.paypal.ids import transaction_id
from sandbox.paypal.server import serve
from sandbox.paypal.testing import paypal_store
from tests.pipelines.paypal_run import (
    MODULE,
    NOW,
    Clock,
    dbt,
    dbt_build,
    empty_stripe_tables,
    extract,
    raw_rows,
)
from tests.truth import GATEWAY_REVENUE_ROWS_SQL, gateway_revenue_rows, iso_minor


def by_key(con, sql: str) -> dict:
    return {
        tuple(row[:-2]): {"amount": row[-2], "count": row[-1]} for row in con.sql(sql).fetchall()
    }


def totals(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            "revenue": con.sql(GATEWAY_REVENUE_ROWS_SQL).fetchall(),
            "disputes_by_status": by_key(con, """
                select status, currency, sum(amount_minor)::bigint, count(*)
                from intermediate.int_disputes_unioned where gateway = 'paypal' group by all"""),
            **changed_in(con),
            **counts_in(con),
        }  # fmt: skip


def changed(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return changed_in(con)


def changed_in(con) -> dict:
    return {
        "subscriptions": dict(
            con.sql("""
                select source_subscription_id, status from intermediate.int_subscriptions_unioned
                where gateway = 'paypal'""").fetchall()
        ),
        "disputes": dict(
            con.sql("""
                select source_dispute_id, status from intermediate.int_disputes_unioned
                where gateway = 'paypal'""").fetchall()
        ),
        "refund_ids": {
            r[0]
            for r in con.sql("""
                select source_refund_id from intermediate.int_refunds_unioned
                where gateway = 'paypal'""").fetchall()
        },
    }


def counts_in(con) -> dict:
    return {
        "customers": con.sql("""select count(*) from intermediate.int_customers_unioned
                where gateway = 'paypal'""").fetchall()[0][0],
        "invoices": con.sql("""select count(*) from intermediate.int_invoices_unioned
                where gateway = 'paypal'""").fetchall()[0][0],
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    work = tmp_path_factory.mktemp("paypal_e2e")
    clock = Clock(NOW)
    share, store = paypal_store(scale=0.2, clock=clock)
    warehouse = work / "warehouse.duckdb"
    empty_stripe_tables(warehouse)
    with serve(store) as server:
        first = extract(warehouse, server.url, clock)
        rerun = extract(warehouse, server.url, clock)
        clean_raw = raw_rows(warehouse)
        dbt_build(warehouse, work)
        before = totals(warehouse)
        yield {
            "share": share, "store": store, "server": server, "clock": clock, "work": work,
            "warehouse": warehouse, "first": first, "rerun": rerun, "clean_raw": clean_raw,
            "before": before,
        }  # fmt: skip


def test_totals_equal_the_generators_share_to_the_minor_unit(world):
    expected, got = world["share"].totals, world["before"]
    # rpt_revenue_monthly_by_gateway whole, counts included, against the account's figures
    revenue = gateway_revenue_rows(expected["by_account"])
    assert len(got["revenue"]) == len(revenue) > 12
    assert got["revenue"] == revenue
    assert got["disputes_by_status"] == expected["disputes_by_status"]
    currencies = {currency for _, currency in expected["payments"]}
    assert "JPY" in currencies and "KWD" not in currencies
    # A PayPal customer is a payer PayPal has seen: in a captured payment or a subscription.
    share = world["share"]
    payers = {c.customer.id for c in share.charges if c.captured}
    payers |= {s.customer.id for s in share.subscriptions}
    assert got["customers"] == len(payers)
    assert got["invoices"] == expected["counts"]["invoices"]
    assert len(got["subscriptions"]) == expected["counts"]["subscriptions"]


def test_authorizations_open_voided_and_captured_as_the_generator_made_them(world):
    """Every authorization of the share: open ones succeeded and not captured, voided ones
    canceled, captured ones their capture's payment; whole rows, nothing else uncaptured."""
    expected = set()
    for c in world["share"].charges:
        if c.payment_intent.capture_method != "manual":
            continue
        captured = iso_minor(c.amount, c.currency) if c.captured else 0
        status = "canceled" if c.released_at is not None else "succeeded"
        tid = transaction_id(c.id) if c.captured else transaction_id(f"auth:{c.id}")
        expected.add((tid, status, c.captured, captured, iso_minor(c.amount, c.currency)))
    captures = sorted(row[0] for row in expected if row[2])
    with duckdb.connect(str(world["warehouse"]), read_only=True) as con:
        got = con.execute(
            "select source_payment_id, status, is_captured, amount_captured_minor, amount_minor "
            "from intermediate.int_payments_unioned where gateway = 'paypal' "
            "and (not is_captured or list_contains(?, source_payment_id))",
            [captures],
        ).fetchall()
    assert len(got) == len(expected) and set(got) == expected
    assert {row[1:3] for row in got} == {("succeeded", False), ("canceled", False),
                                         ("succeeded", True)}  # fmt: skip


def test_an_id_listed_twice_stays_two_rows_and_every_payment_id_one(world):
    """The spec: an id may be listed twice, balance-affecting and not (the sandbox does so for
    some captured authorizations); staging keeps both, its dbt key holds, payments stay one."""
    listed: dict[str, set[bool]] = {}
    for r in world["store"].rows:
        listed.setdefault(r.tid, set()).add(r.balance_affecting)
    twice = sorted(tid for tid, flags in listed.items() if len(flags) == 2)
    dbt(world["warehouse"], world["work"], "test", "--select", "stg_paypal__transactions")
    with duckdb.connect(str(world["warehouse"]), read_only=True) as con:
        got = con.sql("""select transaction_id from staging.stg_paypal__transactions
            group by all having count(distinct is_balance_affecting) = 2 order by 1""").fetchall()
        dup = con.sql("""select count(*) - count(distinct payment_id) from
            intermediate.int_payments_unioned where gateway = 'paypal'""").fetchall()[0][0]
    assert twice and [t for (t,) in got] == twice and dup == 0


def test_an_incremental_rerun_writes_nothing_new(world):
    assert sum(world["first"].values()) > 0
    assert world["rerun"] == dict.fromkeys(MODULE.entities, 0)


def test_a_run_under_faults_gives_the_clean_runs_warehouse(world, tmp_path):
    server, warehouse = world["server"], tmp_path / "faults.duckdb"
    server.faults = FaultPlan(rate_limit_every=4, server_error_every=7, retry_after_seconds=0)
    try:
        extract(warehouse, server.url, world["clock"])
    finally:
        server.faults = FaultPlan()
    assert raw_rows(warehouse) == world["clean_raw"]


class Killed(Exception):
    pass


def test_a_run_killed_and_rerun_gives_the_clean_runs_warehouse(world, tmp_path):
    server, warehouse = world["server"], tmp_path / "killed.duckdb"

    class DiesMidway:
        def __init__(self, reader):
            self.reader = reader

        def read(self, entity, since=None):
            for n, page in enumerate(self.reader.read(entity, since)):
                if entity == "transactions" and n == 9:
                    raise Killed
                yield page

        def close(self):
            pass

    # Small batches: several land (with their resume point) before the kill.
    with pytest.raises(Killed):
        extract(warehouse, server.url, world["clock"], reader_wrap=DiesMidway, batch_objects=40)
    saved = read_cursor(warehouse, "paypal", "sandbox", "transactions")
    assert saved and saved["resume"], "the killed listing saved a resume point"
    extract(warehouse, server.url, world["clock"])
    assert raw_rows(warehouse) == world["clean_raw"]


def test_changes_on_the_sandbox_appear_after_the_next_incremental_run(world):
    store, clock, warehouse = world["store"], world["clock"], world["warehouse"]
    payment = next(
        r for r in reversed(store.rows)
        if r.detail["transaction_info"]["transaction_event_code"] in ("T0003", "T0006")
        and r.detail["transaction_info"]["transaction_status"] == "S"
    )  # fmt: skip
    at = NOW + 600
    amount = payment.detail["transaction_info"]["transaction_amount"]
    refund_id = store.refund_capture(payment.tid, amount, at)
    dispute_id = store.open_dispute(payment.tid, at)
    active = next(s for s, o in sorted(store.subscriptions.items()) if o["status"] == "ACTIVE")
    store.cancel_subscription(active, at)

    clock.at = at + 3600  # PayPal may list the refund up to three hours late: not yet read
    extract(warehouse, world["server"].url, clock)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        landed = {r[0] for r in con.sql("select id from raw_paypal.transactions").fetchall()}
    assert refund_id not in landed

    clock.at = at + 3 * 3600 + 60
    written = extract(warehouse, world["server"].url, clock)
    assert written["transactions"] == 1
    dbt_build(warehouse, world["work"], ["refunds", "disputes", "subscriptions"])
    after = changed(warehouse)
    assert after["refund_ids"] - world["before"]["refund_ids"] == {refund_id}
    assert after["disputes"][dispute_id] == "needs_response"
    assert world["before"]["subscriptions"][active] != "canceled"
    assert after["subscriptions"][active] == "canceled"
