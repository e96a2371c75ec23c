"""Braintree end to end: the local gateway serving its share of the business, extraction
through the one runner with the official SDK's transport, then `dbt build`; the warehouse
agrees with the generator's own figures to the minor unit, in every currency the share has.

One sandbox, one clean extraction and one dbt build are shared by the module. The other runs
(under faults, killed and rerun, incremental, after changes on the sandbox) extract into
their own files from the same server, and compare raw rows (id, payload hash) with the
clean run's. The search cap is set small on both sides, so capped windows are halved on the
way.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from sandbox.braintree.business import braintree_share
from sandbox.braintree.faults import FaultPlan
from sandbox.braintree.server import serve
from sandbox.braintree.store import BraintreeStore
from sandbox.business import generate
from sandbox.business.clock import month_key
from tests.pipelines.braintree_run import (
    CAP,
    ORDER,
    Killed,
    dbt_build,
    extract,
    query,
    raw_rows,
)
from tests.truth import GATEWAY_REVENUE_ROWS_SQL, gateway_revenue_rows

SEED, SCALE = 42, 0.2  # the smallest scale whose Braintree share has KWD payments


@pytest.fixture(scope="module")
def share():
    return braintree_share(generate(SEED, SCALE))


@pytest.fixture(scope="module")
def server(share):
    store = BraintreeStore(share)
    with serve(store, transaction_cap=CAP, other_cap=CAP) as srv:
        yield srv


@pytest.fixture(scope="module")
def clean(server, tmp_path_factory):
    """The clean run: its warehouse, after `dbt build`, and its raw rows."""
    work = tmp_path_factory.mktemp("braintree_e2e")
    warehouse = work / "warehouse.duckdb"
    extract(server, warehouse)
    rows = raw_rows(warehouse)
    build = dbt_build(warehouse, work)
    assert build.returncode == 0, build.stdout[-6000:] + build.stderr[-2000:]
    return warehouse, rows


def test_everything_served_lands(server, clean):
    _, rows = clean
    for entity in ORDER:
        assert {i for i, _ in rows[entity]} == set(server.store.records[entity]), entity


def test_revenue_by_gateway_equals_the_generators_figures_in_every_currency(share, clean):
    """rpt_revenue_monthly_by_gateway whole (gross, refunds, lost disputes, net and their
    counts per month and currency) against the generator's figures for the account."""
    warehouse, _ = clean
    rows = query(warehouse, GATEWAY_REVENUE_ROWS_SQL)
    expected = gateway_revenue_rows(share.totals["by_account"])
    assert len(rows) == len(expected) > 12
    assert rows == expected
    currencies = {c for _, c in share.totals["payments"]}
    assert {"JPY", "KWD"} <= currencies, currencies


def test_disputes_by_status_and_lost_by_closing_month(share, clean):
    warehouse, _ = clean
    rows = query(
        warehouse,
        "select status, currency, sum(amount_minor), count(*) from marts.fct_disputes "
        "where gateway = 'braintree' group by 1, 2",
    )
    got = {(s, c): {"amount": int(a), "count": n} for s, c, a, n in rows}
    assert got == share.totals["disputes_by_status"]
    # Braintree records every closing in the status history: lost ones by the month they closed
    lost: dict = defaultdict(lambda: {"amount": 0, "count": 0})
    for d in share.disputes:
        if d.status == "lost":
            key = (month_key(d.closed_at or d.created + 30 * 86_400), d.currency)
            lost[key]["amount"] += d.amount
            lost[key]["count"] += 1
    rows = query(
        warehouse,
        "select strftime(closed_at, '%Y-%m'), currency, sum(amount_minor), count(*) "
        "from marts.fct_disputes where gateway = 'braintree' and status = 'lost' group by 1, 2",
    )
    assert {(m, c): {"amount": int(a), "count": n} for m, c, a, n in rows} == dict(lost)


def test_payments_by_status_are_the_generators_charges(share, clean):
    """Every sale by canonical and source status, with counts and amounts: an authorization
    Braintree expired is canceled like a voided one, nothing captured (DECISIONLOG.md). The
    expected table is the generator's charges by their own facts, in the sandbox's words."""
    expected: dict = defaultdict(lambda: [0, 0, 0])
    for c in share.charges:
        if c.status != "succeeded":
            key = {"failed": ("failed", "processor_declined"),
                   "pending": ("pending", "settlement_pending")}[c.status]  # fmt: skip
        elif c.captured:
            key = ("succeeded", "settled")
        elif c.lapsed:
            key = ("canceled", "authorization_expired")
        elif c.released_at is not None:
            key = ("canceled", "voided")
        else:
            key = ("succeeded", "authorized")
        row = expected[(*key, c.amount_captured > 0)]
        row[0] += 1
        row[1] += c.amount
        row[2] += c.amount_captured
    warehouse, _ = clean
    rows = query(
        warehouse,
        "select status, source_status, is_captured, count(*), sum(amount_minor), "
        "sum(amount_captured_minor) from intermediate.int_braintree__payments group by 1, 2, 3",
    )
    assert {(s, src, cap): [n, int(a), int(c)] for s, src, cap, n, a, c in rows} == dict(expected)
    lapsed = share.totals["cases"]["authorizations_lapsed"]
    assert expected[("canceled", "authorization_expired", False)][0] == lapsed >= 1


def test_customers_carry_the_identifiers(share, clean):
    warehouse, _ = clean
    rows = query(
        warehouse,
        "select count(*), count(external_id), count(tax_id) "
        "from intermediate.int_customers_unioned where gateway = 'braintree'",
    )
    listed = [c for c in share.customers if c.deleted_at is None]
    external = sum(1 for c in listed if getattr(c, "external_id", None))
    assert rows == [(len(listed), external, sum(1 for c in listed if c.tax_id))]


def test_a_run_under_faults_gives_the_clean_warehouse(server, clean, tmp_path):
    _, rows = clean
    server.faults = FaultPlan(rate_limit_every=5, server_error_every=7)
    try:
        extract(server, tmp_path / "faults.duckdb")
    finally:
        served = server.faults.seen
        server.faults = FaultPlan()
    assert served > 11
    assert raw_rows(tmp_path / "faults.duckdb") == rows


def test_a_run_killed_and_rerun_gives_the_clean_warehouse(server, clean, tmp_path):
    _, rows = clean
    warehouse = tmp_path / "killed.duckdb"
    with pytest.raises(Killed):
        extract(server, warehouse, pages_before_kill=7, batch=60)
    extract(server, warehouse)
    assert raw_rows(warehouse) == rows


def test_incremental_then_changes_on_the_sandbox(server, clean, tmp_path):
    """A rerun writes nothing new; a refund, a settlement, a dispute and a cancellation made
    on the gateway after that appear after the next incremental run."""
    warehouse, _ = clean
    # the shared warehouse is kept clean: work on a copy of it
    copy = tmp_path / "incremental.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    written = extract(server, copy)
    assert written == dict.fromkeys(ORDER, (0, 0))

    store = server.store
    records = store.records["transactions"]
    settled = [i for i, r in records.items() if r.el.findtext("status") == "settled"
               and r.el.findtext("type") == "sale"]  # fmt: skip
    pending = next(i for i, r in records.items() if r.el.findtext("status") == "settlement_pending")
    active = next(i for i, r in store.records["subscriptions"].items()
                  if r.el.findtext("status") == "Active")  # fmt: skip
    credit = store.refund(settled[0])
    store.settle(pending)
    dispute = store.open_dispute(settled[1])
    store.cancel_subscription(active)
    extract(server, copy)

    def one(table: str, columns: str, key: str, value: str) -> tuple:
        (row,) = query(copy, f"select {columns} from {table} where {key} = '{value}'")
        return row

    staging = "staging.stg_braintree__transactions"
    assert one(staging, "status", "transaction_id", credit) == ("submitted_for_settlement",)
    assert one(staging, "status", "transaction_id", pending) == ("settled",)
    disputes = "intermediate.int_braintree__disputes"
    assert one(disputes, "status, source_status", "source_dispute_id", dispute) == (
        "needs_response",
        "open",
    )
    subscriptions = "intermediate.int_braintree__subscriptions"
    assert one(subscriptions, "status", "source_subscription_id", active) == ("canceled",)
    payments = "intermediate.int_braintree__payments"
    assert one(payments, "is_disputed", "source_payment_id", settled[1]) == (True,)


CARD_KEEPS = {"card_type", "last_4", "expiration_month", "expiration_year", "country_of_issuance",
              "token"}  # fmt: skip
NEVER = {"bin", "unique_number_identifier", "cardholder_name", "masked_number"}


def _walk(value, path=""):
    """(path, key, value) of every field, nested lists and dicts included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


def test_no_raw_row_keeps_card_data_beyond_brand_last_four_expiry_and_country(server, clean):
    """The sandbox serves Braintree's whole card block (BIN, cardholder, masked number, the
    cross-merchant unique_number_identifier); the warehouse keeps the four and the token."""
    import orjson

    served = [r for r in server.store.records["transactions"].values() if b"<bin>" in r.xml()]
    assert served, "the sandbox serves cards with their BIN: the test has something to cut"
    warehouse, _ = clean
    cards = 0
    for entity in ("transactions", "customers"):
        for (payload,) in query(warehouse, f"select payload from raw_braintree.{entity}"):
            for path, key, value in _walk(orjson.loads(payload)):
                assert key not in NEVER, (entity, path, key)
                if key in ("credit_card", "credit_cards"):
                    for card in value if isinstance(value, list) else [value]:
                        cards += 1
                        assert set(card) <= CARD_KEEPS, (entity, path, sorted(card))
    assert cards > 0
