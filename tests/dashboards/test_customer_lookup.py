"""The agents' lookup page, headless through Streamlit's AppTest, on the published snapshot of
a real pipeline run. Expected ids come from the sandbox business, not from the marts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sandbox.stripe.render_ids import StripeIds

PAGE = str(Path(__file__).resolve().parents[2] / "dashboards" / "app_pages" / "customer_lookup.py")


@pytest.fixture(scope="module")
def published(e2e_run):
    assert e2e_run["ok"]
    return e2e_run


def lookup(term: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.sidebar.text_input(key="lookup_term").input(term).run()
    assert not at.exception, at.exception
    return at


def shown_object_ids(at: AppTest) -> set[str]:
    (table,) = at.dataframe
    return set(table.value["object_id"])


def stripe_id(business, prefix: str, neutral_id: str) -> str:
    """The id the sandbox serves for a neutral object (what an agent would paste)."""
    return StripeIds(business.seed).of(prefix, neutral_id)


def person_with_two_customer_objects(business):
    by_person = defaultdict(list)
    for customer in business.customers:
        by_person[customer.person_id].append(customer)
    return next(c for c in by_person.values() if len(c) > 1 and all(x.email for x in c))


def test_messy_email_finds_every_charge_of_the_person(published, e2e_business):
    customers = person_with_two_customer_objects(e2e_business)
    ids = {c.id for c in customers}
    charges = {
        stripe_id(e2e_business, "ch", ch.id) for ch in e2e_business.charges if ch.customer.id in ids
    }
    at = lookup("  " + customers[0].email.strip().upper() + "  ")
    assert charges and charges <= shown_object_ids(at)
    assert at.get("vega_lite_chart"), "the timeline chart is drawn"
    assert [m.label for m in at.metric][-2:] == ["Events", "Open disputes"]


def test_a_charge_id_finds_its_customer(published, e2e_business):
    charge = next(ch for ch in e2e_business.charges if ch.refunds)
    at = lookup(stripe_id(e2e_business, "ch", charge.id))
    shown = shown_object_ids(at)
    assert stripe_id(e2e_business, "ch", charge.id) in shown
    assert {stripe_id(e2e_business, "re", refund.id) for refund in charge.refunds} <= shown
    assert at.subheader[0].value


def test_a_customer_id_finds_the_person(published, e2e_business):
    customer = next(c for c in e2e_business.customers if c.email)
    at = lookup(stripe_id(e2e_business, "cus", customer.id))
    paid = {
        stripe_id(e2e_business, "ch", ch.id)
        for ch in e2e_business.charges
        if ch.customer.id == customer.id
    }
    assert paid <= shown_object_ids(at)


def test_an_unknown_customer_gets_a_clear_answer(published):
    at = lookup("nobody-at-all@nowhere.invalid")
    assert [w.value for w in at.warning if "No customer matches" in w.value] == [
        "No customer matches 'nobody-at-all@nowhere.invalid'."
    ]


def test_the_page_answers_while_another_process_writes_the_warehouse(published, e2e_business):
    """DuckDB lets one writing process hold the warehouse file: the page reads only the
    published snapshot, so a run that is writing never blocks an agent."""
    import subprocess
    import sys

    warehouse = str(published["settings"].warehouse_path)
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time\n"
         # A read-write connection holds DuckDB's exclusive lock on the file.
         f"con = duckdb.connect({warehouse!r})\n"
         "con.execute('begin transaction')\n"
         "print('holding', flush=True)\n"
         "time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout.readline().strip() == "holding"
        customer = next(c for c in e2e_business.customers if c.email)
        at = lookup(customer.email)
        assert at.subheader and shown_object_ids(at)
    finally:
        writer.kill()
        writer.wait()
