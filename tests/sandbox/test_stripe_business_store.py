"""The sandbox serving the generated business, as `python -m sandbox.stripe` does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import stripe

from sandbox.business import generate
from sandbox.stripe.app import DEFAULT_API_KEY
from sandbox.stripe.render import render_account
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore

ROOT = Path(__file__).resolve().parents[2]
CLASSES = {
    "customers": stripe.Customer,
    "charges": stripe.Charge,
    "payment_intents": stripe.PaymentIntent,
    "refunds": stripe.Refund,
    "disputes": stripe.Dispute,
    "subscriptions": stripe.Subscription,
    "invoices": stripe.Invoice,
    "balance_transactions": stripe.BalanceTransaction,
    "tax_rates": stripe.TaxRate,
    "invoice_payments": stripe.InvoicePayment,
    "credit_notes": stripe.CreditNote,
    "events": stripe.Event,
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return render_account(generate(seed=42, scale=0.05))


@pytest.fixture(scope="module")
def business_server(rendered):
    with serve(StripeStore(rendered)) as server:
        yield server


def all_ids(server, entity: str) -> list[str]:
    """Walk the list with the raw SDK transport, as the extraction does."""
    headers = {"Authorization": f"Bearer {DEFAULT_API_KEY}", "Stripe-Version": stripe.api_version}
    extra = "&status=all" if entity == "subscriptions" else ""
    ids: list[str] = []
    cursor = ""
    while True:
        url = f"{server.url}/v1/{entity}?limit=100{extra}{cursor}"
        body, status, _ = stripe.RequestsClient().request_with_retries("get", url, headers)
        assert status == 200
        page = orjson.loads(body)
        ids += [obj["id"] for obj in page["data"]]
        if not page["has_more"]:
            return ids
        cursor = f"&starting_after={ids[-1]}"


@pytest.mark.parametrize("entity", sorted(CLASSES))
def test_every_rendered_object_is_served_once_newest_first(business_server, rendered, entity):
    """Deleted objects are the store's to hide; every other one is listed once."""
    served = all_ids(business_server, entity)
    objects = rendered[entity]
    gone = set(rendered["deleted"].get(entity, ()))
    assert len(served) == len(set(served))
    assert sorted(set(served) - gone) == sorted({o["id"] for o in objects} - gone)
    created = {o["id"]: o["created"] for o in objects}
    times = [created[i] for i in served]
    assert times == sorted(times, reverse=True)
    client = stripe.StripeClient(DEFAULT_API_KEY, base_addresses={"api": business_server.url})
    first = getattr(client.v1, entity).retrieve(served[0])
    assert isinstance(first, CLASSES[entity])


def test_invoice_lines_match_the_embedded_lines(business_server, rendered):
    client = stripe.StripeClient(DEFAULT_API_KEY, base_addresses={"api": business_server.url})
    invoice = max(rendered["invoices"], key=lambda i: len(i["lines"]["data"]))
    lines = client.v1.invoices.line_items.list(invoice["id"], params={"limit": 1})
    assert [x.id for x in lines.auto_paging_iter()] == [x["id"] for x in invoice["lines"]["data"]]


def test_cli_serves_the_business_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "SANDBOX_TEST_KEY": "sk_test_from_the_launcher", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "sandbox.stripe", "--scale", "0.02", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--api-key-env", "SANDBOX_TEST_KEY"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("Stripe sandbox on http://127.0.0.1:")
        url = line.split()[3]
        client = stripe.StripeClient("sk_test_from_the_launcher", base_addresses={"api": url})
        customers = client.v1.customers.list(params={"limit": 100}).data
        assert f"({len(customers)} customers," in line
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
