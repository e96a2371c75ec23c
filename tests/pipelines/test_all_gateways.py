"""One business on three gateways, through the real launcher: the Stripe, Braintree and PayPal
sandboxes each serve their share of one generated company over loopback, the official SDKs'
transports read every account in one Dagster run, dbt builds, and the published marts must
show the whole company: its monthly revenue to the minor unit, its people matched across
gateways by the generator's own rules, and a person found by any gateway's id."""

from __future__ import annotations

from collections import Counter, defaultdict

import duckdb
import pytest

from pipelines.lib.publish import snapshot_path
from tests.truth import (
    GATEWAY_REVENUE_ROWS_SQL,
    REVENUE_ROWS_SQL,
    gateway_revenue_rows,
    revenue_rows,
)

SEED, SCALE = 23, 0.06
STRIPE_KEY = "sk_test_all_gateways"
BRAINTREE = {"merchant_id": "all_gateways_merchant", "public_key": "pub", "private_key": "priv"}
PAYPAL = {"client_id": "all-gateways-id", "client_secret": "all-gateways-secret"}
ENV = {
    "ALL_STRIPE_KEY": STRIPE_KEY,
    "ALL_BT_MERCHANT": BRAINTREE["merchant_id"],
    "ALL_BT_PUBLIC": BRAINTREE["public_key"],
    "ALL_BT_PRIVATE": BRAINTREE["private_key"],
    "ALL_PP_ID": PAYPAL["client_id"],
    "ALL_PP_SECRET": PAYPAL["client_secret"],
}


@pytest.fixture(scope="module")
def business():
    from sandbox.business import generate

    return generate(seed=SEED, scale=SCALE)


@pytest.fixture(scope="module")
def servers(business):
    from sandbox.braintree.business import braintree_share
    from sandbox.braintree.server import serve as serve_braintree
    from sandbox.braintree.store import BraintreeStore
    from sandbox.paypal.server import serve as serve_paypal
    from sandbox.paypal.share import paypal_share
    from sandbox.paypal.store import PayPalStore
    from sandbox.stripe.server import serve as serve_stripe
    from sandbox.stripe.store import StripeStore

    stripe = serve_stripe(StripeStore.from_business(business), api_keys={STRIPE_KEY: None})
    braintree = serve_braintree(
        BraintreeStore(braintree_share(business), merchant_id=BRAINTREE["merchant_id"]),
        public_key=BRAINTREE["public_key"],
        private_key=BRAINTREE["private_key"],
    )
    paypal = serve_paypal(
        PayPalStore.from_business(
            paypal_share(business), clients={PAYPAL["client_id"]: PAYPAL["client_secret"]}
        )
    )
    yield {"stripe": stripe, "braintree": braintree, "paypal": paypal}
    for server in (stripe, braintree, paypal):
        server.stop()


def _config(folder, servers) -> str:
    return (
        "warehouse:\n  path: data/warehouse.duckdb\n  published_dir: data/published\n"
        "dagster_home: data/dagster\n"
        "accounts:\n"
        f"  - {{gateway: stripe, name: sandbox, api_key_env: ALL_STRIPE_KEY,"
        f" api_base: '{servers['stripe'].url}'}}\n"
        "  - gateway: braintree\n    name: sandbox\n"
        f"    api_base: '{servers['braintree'].url}'\n"
        "    credentials: {merchant_id: ALL_BT_MERCHANT, public_key: ALL_BT_PUBLIC,"
        " private_key: ALL_BT_PRIVATE}\n"
        "  - gateway: paypal\n    name: sandbox\n"
        f"    api_base: '{servers['paypal'].url}'\n"
        "    credentials: {client_id: ALL_PP_ID, client_secret: ALL_PP_SECRET}\n"
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory, servers):
    """The launcher's run; Dagster's step processes read the credentials from the process
    environment, set for this module only."""
    import os

    from ledgerdesk.config import load_settings
    from scripts.pipeline import run_pipeline

    folder = tmp_path_factory.mktemp("all_gateways")
    (folder / "ledgerdesk.yaml").write_text(_config(folder, servers))
    saved = {name: os.environ.get(name) for name in ENV}
    os.environ.update(ENV)
    try:
        settings = load_settings(folder / "ledgerdesk.yaml")
        ok = run_pipeline(settings, full_refresh=True)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {"settings": settings, "ok": ok}


@pytest.fixture(scope="module")
def marts(run):
    assert run["ok"], "the pipeline run failed: see the log above"
    con = duckdb.connect(str(snapshot_path(run["settings"].published_dir)), read_only=True)
    yield con
    con.close()


def test_every_gateway_landed_its_share(marts, business):
    """Each gateway's customers are in the warehouse, as many as its sandbox lists."""
    got = dict(
        marts.sql(
            "select gateway, count(*) from marts.dim_customer_identities group by 1"
        ).fetchall()
    )
    want = Counter(row[1] for row in business.totals["identity"])
    assert got == dict(want)
    assert set(got) == {"stripe", "braintree", "paypal"}


def test_monthly_revenue_of_the_whole_company(marts, business):
    """rpt_revenue_monthly, whole rows with counts, equals the generator's figures over all
    three gateways (gross, refunds, lost disputes by closing month, net)."""
    expected = revenue_rows(business.totals)
    assert marts.sql(REVENUE_ROWS_SQL).fetchall() == expected
    by_gateway = business.totals["by_account"]
    assert all(by_gateway[(gw, "sandbox")]["payments"] for gw in ("stripe", "braintree", "paypal"))


def test_monthly_revenue_of_each_gateway(marts, business):
    """rpt_revenue_monthly_by_gateway, whole rows with counts, equals the generator's figures
    of each (gateway, account) share: the three gateways side by side, none mixed."""
    expected = gateway_revenue_rows(business.totals["by_account"])
    got = marts.sql(GATEWAY_REVENUE_ROWS_SQL).fetchall()
    assert len(got) == len(expected)
    assert got == expected
    assert {row[0] for row in got} == {"stripe", "braintree", "paypal"}


def test_people_are_matched_across_gateways_by_the_generators_rules(marts, business):
    """One dim_customers row per person the generator made; each gateway customer linked by
    the rule the generator says must link it; the people on two gateways are found."""
    identity = business.totals["identity"]
    ((persons,),) = marts.sql("select count(*) from marts.dim_customers").fetchall()
    assert persons == business.totals["counts"]["persons"]
    got_rules = {
        (gateway, rule): n
        for gateway, rule, n in marts.sql(
            "select gateway, match_method, count(*) from marts.dim_customer_identities group by all"
        ).fetchall()
    }
    assert got_rules == dict(Counter((row[1], row[4]) for row in identity))
    gateways_of: dict[int, set[str]] = defaultdict(set)
    for person_id, gateway, *_ in identity:
        gateways_of[person_id].add(gateway)
    on_two = sum(1 for gws in gateways_of.values() if len(gws) > 1)
    ((got_on_two,),) = marts.sql(
        "select count(*) from marts.dim_customers where len(gateways) > 1"
    ).fetchall()
    assert on_two > 0 and got_on_two == on_two


def _source_customer_id(business, gateway: str, neutral: str) -> str:
    """The id each sandbox gives a neutral customer (its renderer's own id scheme)."""
    from sandbox.braintree import ids as braintree_ids
    from sandbox.paypal import ids as paypal_ids
    from sandbox.stripe.render_ids import StripeIds

    if gateway == "stripe":
        return StripeIds(business.seed).of("cus", neutral)
    if gateway == "braintree":
        return braintree_ids.customer_id(neutral)
    return paypal_ids.payer_id(neutral)


def test_each_person_holds_exactly_the_generators_customers_each_by_its_rule(marts, business):
    """The whole partition: for every person, the set of (gateway, customer id, rule) of its
    customers, compared as a list of people (a customer on the wrong person, or a person
    split in two, changes it even when every count stays the same)."""
    people: dict[int, set] = defaultdict(set)
    for person_id, gateway, _, neutral, rule in business.totals["identity"]:
        people[person_id].add((gateway, _source_customer_id(business, gateway, neutral), rule))
    expected = sorted(sorted(p) for p in people.values())
    got_people: dict[str, set] = defaultdict(set)
    for person_id, gateway, customer, rule in marts.sql(
        "select person_id, gateway, source_customer_id, match_method "
        "from marts.dim_customer_identities"
    ).fetchall():
        got_people[person_id].add((gateway, customer, rule))
    got = sorted(sorted(p) for p in got_people.values())
    assert len(got) == len(expected)
    assert got == expected


def test_a_person_is_found_by_another_gateways_payment_id(marts, run, monkeypatch):
    """The lookup finds a person on two gateways by a Braintree or PayPal payment id and shows
    one timeline naming both gateways."""
    ((person, source_payment_id),) = marts.sql(
        "select p.person_id, any_value(p.source_payment_id order by p.source_payment_id) "
        "from marts.fct_payments as p "
        "inner join marts.dim_customers as c on p.person_id = c.person_id "
        "where p.gateway <> 'stripe' and len(c.gateways) > 1 "
        "group by 1 order by 1 limit 1"
    ).fetchall()
    monkeypatch.setenv("LEDGERDESK_CONFIG", str(run["settings"].config_path))
    from dashboards import queries

    found = queries.find_people(source_payment_id)
    assert found["person_id"].to_list() == [person]
    gateways = set(queries.timeline(person)["gateway"].to_list())
    assert len(gateways) >= 2


def test_postgres_builds_the_same_marts_from_the_same_raw_rows(run, tmp_path_factory):
    """Issue 16: the raw rows this run landed, copied to a fresh PostgreSQL database and built
    there with `dbt build --target postgres`: every model, data test, unit test and contract
    passes (no error, nothing skipped), and every mart equals DuckDB's row by row with counts
    (tests/dbt/engines.py). One PostgreSQL build, on this module's worker."""
    from tests.dbt.engines import (
        build_counts,
        build_postgres,
        compare_marts,
        copy_raw,
        fresh_database,
    )

    assert run["ok"], "the pipeline run failed: see the log above"
    warehouse = run["settings"].warehouse_path
    with fresh_database() as settings:
        copy_raw(warehouse, settings)
        built = build_postgres(settings, tmp_path_factory.mktemp("all_gateways_pg"), ["build"])
        assert built.returncode == 0, built.output[-6000:]
        counts = build_counts(built)
        assert counts["ERROR"] == 0 and counts["SKIP"] == 0 and counts["PASS"] > 400, counts
        rows = compare_marts(warehouse, settings, built.target_dir)
    assert {"marts.fct_payments", "marts.dim_customers", "marts.fct_customer_timeline"} <= set(rows)
    assert all(rows[name] > 0 for name in ("marts.fct_payments", "marts.fct_customer_timeline"))
