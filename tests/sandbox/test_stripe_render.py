"""The Stripe rendering: figures recomputed from the rendered dicts alone equal the business's
own totals, and every reference between rendered objects resolves."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

from sandbox.business import HISTORY_END, HISTORY_START, generate
from sandbox.business.shares import share
from sandbox.stripe.render import render_business

PREFIX = {
    "customers": "cus_", "tax_ids": "txi_", "tax_rates": "txr_", "subscriptions": "sub_",
    "invoices": "in_", "payment_intents": "pi_", "charges": "ch_", "refunds": "re_",
    "disputes": "dp_", "balance_transactions": "txn_", "invoice_payments": "inpay_",
    "credit_notes": "cn_", "events": "evt_",
}  # fmt: skip
EVENTS_SINCE = HISTORY_END + 1 - 30 * 86400  # Stripe keeps 30 days of events


@pytest.fixture(scope="module")
def business():
    """The Stripe account's share: what the Stripe sandbox serves, with its own totals."""
    return share(generate(seed=11, scale=0.3), "stripe", "sandbox")


@pytest.fixture(scope="module")
def rendered(business):
    return render_business(business)


@pytest.fixture(scope="module")
def by_id(rendered):
    lists = {name: objs for name, objs in rendered.items() if name != "deleted"}
    return {name: {o["id"]: o for o in objs} for name, objs in lists.items()}


@pytest.fixture(scope="module")
def closed_at(rendered) -> dict[str, int]:
    """The first `charge.dispute.closed` event of each dispute: when it was seen to close."""
    out: dict[str, int] = {}
    for event in sorted(rendered["events"], key=lambda e: e["created"]):
        if event["type"] == "charge.dispute.closed":
            out.setdefault(event["data"]["object"]["id"], event["created"])
    return out


def month(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m")


def summed(rows) -> dict:
    out: dict = defaultdict(lambda: {"amount": 0, "count": 0})
    for key, amount in rows:
        out[key]["amount"] += amount
        out[key]["count"] += 1
    return {k: dict(v) for k, v in out.items()}


def test_rendering_is_deterministic(business, rendered):
    again = render_business(business)
    assert orjson.dumps(again) == orjson.dumps(rendered)


def test_byte_identical_across_processes_and_hash_seeds():
    """No set order, hash() or clock leaks in: two interpreters agree byte for byte."""
    code = (
        "import hashlib, orjson; from sandbox.business import generate; "
        "from sandbox.stripe.render import render_business; "
        "print(hashlib.sha256(orjson.dumps(render_business(generate(5, 0.03)))).hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    digests = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert len(digests) == 1


def test_payments_refunds_disputes_match_business_totals(business, rendered, by_id, closed_at):
    """The revenue and refund rules (DECISIONLOG.md), read off the rendered objects and
    events as the warehouse must read them."""
    totals = business.totals
    payments = summed(
        ((month(c["created"]), c["currency"].upper()), c["amount_captured"])
        for c in rendered["charges"]
        if c["status"] == "succeeded" and c["captured"]
    )
    assert payments == totals["payments"]
    refunds = summed(
        ((month(r["created"]), r["currency"].upper()), r["amount"])
        for r in rendered["refunds"]
        if r["status"] == "succeeded" and by_id["charges"][r["charge"]]["amount_captured"] > 0
    )
    assert refunds == totals["refunds"]
    statuses = summed(
        ((d["status"], d["currency"].upper()), d["amount"]) for d in rendered["disputes"]
    )
    assert statuses == totals["disputes_by_status"]
    lost = summed(
        ((month(closed_at.get(d["id"], d["created"])), d["currency"].upper()), d["amount"])
        for d in rendered["disputes"]
        if d["status"] == "lost"
    )
    assert lost == totals["lost_disputes"]
    assert lost != summed(
        ((month(d["created"]), d["currency"].upper()), d["amount"])
        for d in rendered["disputes"]
        if d["status"] == "lost"
    )  # booking them when they opened would be another figure
    net = defaultdict(int)
    for key, row in payments.items():
        net[key] += row["amount"]
    for table in (refunds, lost):
        for key, row in table.items():
            net[key] -= row["amount"]
    assert dict(net) == totals["net_revenue"]


def test_tax_by_rate_matches_business_totals(business, rendered, by_id):
    rows: dict = defaultdict(lambda: [0, 0])
    for inv in rendered["invoices"]:
        if inv["status"] != "paid":
            continue
        country = inv["customer_address"]["country"]
        for line in inv["lines"]["data"]:
            for tax in line["taxes"]:
                rate = by_id["tax_rates"][tax["tax_rate_details"]["tax_rate"]]
                key = (country, Decimal(str(rate["percentage"])), inv["currency"].upper())
                rows[key][0] += tax["amount"]
                rows[key][1] += tax["taxable_amount"]
    expected = {
        (country, Decimal(rate), cur): [v["tax"], v["taxable"]]
        for (country, rate, cur), v in business.totals["tax"].items()
    }
    assert dict(rows) == expected


def test_last_month_mrr_from_rendered_subscriptions(business, rendered):
    """The history ends at the last second of its last month: rendered state is that moment."""
    mrr: dict = defaultdict(int)
    for sub in rendered["subscriptions"]:
        if sub["status"] not in ("active", "past_due"):
            continue
        for item in sub["items"]["data"]:
            amount = item["price"]["unit_amount"] * item["quantity"]
            if item["price"]["recurring"]["interval"] == "year":
                amount = round(Decimal(amount) / 12)  # Decimal rounds half even
            mrr[sub["currency"].upper()] += int(amount)
    last = month(HISTORY_END)
    expected = {cur: v for (m, cur), v in business.totals["mrr"].items() if m == last}
    assert dict(mrr) == expected


def test_object_counts(business, rendered):
    """The business counts what the gateway lists; the rendering also keeps the deleted."""
    counts = business.totals["counts"]
    deleted = rendered["deleted"]
    assert set(deleted) == {"customers", "invoices"}
    for name in ("customers", "charges", "payment_intents", "refunds", "disputes",
                 "subscriptions", "invoices"):  # fmt: skip
        gone = set(deleted.get(name, ()))
        assert gone <= {o["id"] for o in rendered[name]}, name
        assert len(rendered[name]) - len(gone) == counts[name], name
        assert len(gone) == business.totals["deleted"].get(name, 0), name
    gone = set(deleted["invoices"])
    lines = sum(len(i["lines"]["data"]) for i in rendered["invoices"] if i["id"] not in gone)
    assert lines == counts["invoice_lines"]
    cases = business.totals["cases"]
    assert len(rendered["credit_notes"]) == cases["credit_notes"]
    assert len(rendered["invoice_payments"]) == cases["invoice_payments"]


def test_ids_prefixes_times_and_currencies(rendered):
    for name, prefix in PREFIX.items():
        ids = [o["id"] for o in rendered[name]]
        assert len(set(ids)) == len(ids), name
        assert all(i.startswith(prefix) for i in ids), name
        for obj in rendered[name]:
            if name != "tax_rates":
                assert HISTORY_START <= obj["created"] <= HISTORY_END, obj["id"]
            if "currency" in obj and obj["currency"] is not None:
                assert obj["currency"] == obj["currency"].lower()


def test_charges_point_at_what_exists(rendered, by_id):
    refunds_of = defaultdict(list)
    for re in rendered["refunds"]:
        refunds_of[re["charge"]].append(re)
    disputed = {d["charge"] for d in rendered["disputes"]}
    for ch in rendered["charges"]:
        assert ch["customer"] in by_id["customers"]
        pi = by_id["payment_intents"][ch["payment_intent"]]
        assert pi["customer"] == ch["customer"] and pi["amount"] == ch["amount"]
        if ch["status"] == "succeeded" and ch["captured"]:
            txn = by_id["balance_transactions"][ch["balance_transaction"]]
            assert txn["source"] == ch["id"] and txn["amount"] == ch["amount"]
            assert txn["net"] == txn["amount"] - txn["fee"]
        elif ch["status"] == "failed":
            assert ch["balance_transaction"] is None and ch["failure_code"]
            assert ch["amount_captured"] == 0 and not ch["captured"]
        else:  # pending, or an authorization: no money moved yet
            assert ch["balance_transaction"] is None and ch["failure_code"] is None
        live = [r for r in refunds_of[ch["id"]] if r["status"] in ("succeeded", "pending")]
        assert ch["amount_refunded"] == sum(r["amount"] for r in live)
        assert ch["refunded"] == (ch["amount_refunded"] == ch["amount"] > 0)
        assert ch["disputed"] == (ch["id"] in disputed)
        details = ch["payment_method_details"]
        card = details[details["type"]]  # card, or sepa_debit for a bank debit
        assert "number" not in card and len(card["last4"]) == 4
    for pi in rendered["payment_intents"]:
        latest = by_id["charges"][pi["latest_charge"]]
        assert latest["payment_intent"] == pi["id"]
        expected = {"succeeded": ("succeeded", True), "processing": ("pending", True),
                    "requires_capture": ("succeeded", False), "canceled": ("succeeded", False),
                    "requires_payment_method": ("failed", False)}  # fmt: skip
        assert expected[pi["status"]] == (latest["status"], latest["captured"])
        assert pi["amount_received"] == (latest["amount_captured"] if latest["paid"] else 0)


def test_refunds_and_disputes_point_at_their_charge(rendered, by_id):
    for re in rendered["refunds"]:
        ch = by_id["charges"][re["charge"]]
        assert re["payment_intent"] == ch["payment_intent"] and re["currency"] == ch["currency"]
        if re["status"] == "canceled" or ch["amount_captured"] == 0:
            assert re["balance_transaction"] is None  # nothing was ever taken or given back
            continue
        assert by_id["balance_transactions"][re["balance_transaction"]]["amount"] == -re["amount"]
        if re["status"] == "failed":
            back = by_id["balance_transactions"][re["failure_balance_transaction"]]
            assert back["amount"] == re["amount"] and back["type"] == "refund_failure"
            assert back["source"] == re["id"] and re["failure_reason"]
    for du in rendered["disputes"]:
        ch = by_id["charges"][du["charge"]]
        assert du["payment_intent"] == ch["payment_intent"] and du["amount"] <= ch["amount"]
        for txn in du["balance_transactions"]:
            assert by_id["balance_transactions"][txn["id"]] == txn
            assert txn["source"] == du["id"]


def test_invoices_add_up_and_point_at_what_exists(rendered, by_id):
    payments_of = defaultdict(list)
    for payment in rendered["invoice_payments"]:
        payments_of[payment["invoice"]].append(payment)
    assert set(payments_of) <= set(by_id["invoices"])
    for inv in rendered["invoices"]:
        assert inv["customer"] in by_id["customers"]
        assert "payments" not in inv  # absent unless expanded
        details = (inv["parent"] or {}).get("subscription_details")
        if inv["billing_reason"] == "manual":
            assert inv["parent"] is None  # a one-off invoice has no parent
        else:
            assert details is not None and details["subscription"] in by_id["subscriptions"]
        lines = inv["lines"]
        assert lines["total_count"] == len(lines["data"]) and lines["has_more"] is False
        assert lines["url"] == f"/v1/invoices/{inv['id']}/lines"
        assert all(line["invoice"] == inv["id"] for line in lines["data"])
        assert inv["subtotal"] == sum(line["amount"] for line in lines["data"])
        discount = sum(d["amount"] for d in inv["total_discount_amounts"])
        tax = sum(t["amount"] for t in inv["total_taxes"])
        assert tax == sum(t["amount"] for line in lines["data"] for t in line["taxes"])
        assert inv["total"] == inv["subtotal"] - discount + tax
        assert all(
            t["tax_rate_details"]["tax_rate"] in by_id["tax_rates"] for t in inv["total_taxes"]
        )
        for payment in payments_of[inv["id"]]:
            pi = by_id["payment_intents"][payment["payment"]["payment_intent"]]
            assert payment["amount_requested"] == inv["amount_due"] <= pi["amount"]
        assert inv["amount_due"] == max(0, inv["total"] + inv["starting_balance"])
        assert inv["amount_remaining"] == inv["amount_due"] - inv["amount_paid"]
        if inv["status"] == "paid" and inv["amount_due"] > 0:
            (payment,) = payments_of[inv["id"]]
            assert payment["status"] == "paid" and payment["amount_paid"] == inv["amount_paid"]


def test_subscriptions_and_balance_transactions_resolve(rendered, by_id):
    for sub in rendered["subscriptions"]:
        assert sub["customer"] in by_id["customers"]
        assert sub["latest_invoice"] in by_id["invoices"]
        for item in sub["items"]["data"]:
            assert item["subscription"] == sub["id"]
            assert item["current_period_start"] < item["current_period_end"]
    sources = {**by_id["charges"], **by_id["refunds"], **by_id["disputes"]}
    for sub in rendered["subscriptions"]:
        assert sub["latest_invoice"] not in set(rendered["deleted"]["invoices"])
    for txn in rendered["balance_transactions"]:
        assert txn["source"] in sources
    for tax_id in rendered["tax_ids"]:
        assert tax_id["customer"] in by_id["customers"]


def test_customers_keep_the_mess(business, rendered):
    emails = {c.email for c in business.customers}
    assert {c["email"] for c in rendered["customers"]} == emails
    assert any(e != e.strip() for e in emails)


# --- Issue 14: every case is in the rendering, in Stripe's shape ---


def by_type(rendered) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for event in rendered["events"]:
        out[event["type"]].append(event)
    return out


def test_charges_in_every_state(rendered, by_id):
    charges, intents = rendered["charges"], by_id["payment_intents"]
    pending = [c for c in charges if c["status"] == "pending"]
    assert pending
    for c in pending:  # a bank debit in flight: captured, not paid, no money on the balance yet
        assert c["captured"] and c["amount_captured"] == c["amount"] > 0 and not c["paid"]
        assert c["balance_transaction"] is None
        assert c["payment_method_details"]["type"] == "sepa_debit"
        assert intents[c["payment_intent"]]["status"] == "processing"
    held = [c for c in charges if c["status"] == "succeeded" and not c["captured"]]
    uncaptured = [c for c in held if not c["refunded"]]
    released = [c for c in held if c["refunded"]]
    assert uncaptured and released
    for c in held:
        assert c["amount_captured"] == 0 and c["balance_transaction"] is None
    for c in uncaptured:
        pi = intents[c["payment_intent"]]
        assert pi["status"] == "requires_capture" and pi["amount_capturable"] == c["amount"]
        assert pi["capture_method"] == "manual" and c["amount_refunded"] == 0
    refunds_of = defaultdict(list)
    for re in rendered["refunds"]:
        refunds_of[re["charge"]].append(re)
    for c in released:  # Stripe refunds the uncaptured amount when it releases it
        assert c["amount_refunded"] == c["amount"]
        (re,) = refunds_of[c["id"]]
        assert re["amount"] == c["amount"] and re["status"] == "succeeded"
        assert intents[c["payment_intent"]]["status"] == "canceled"
    failed = [c for c in charges if c["status"] == "failed"]
    assert failed and all(c["amount_captured"] == 0 and not c["captured"] for c in failed)


def test_an_authorization_left_past_its_expiry_is_canceled_by_stripe(business, rendered, by_id):
    """Stripe cancels an authorization nobody captured in time with its own reason
    (`automatic`); one the merchant released carries the merchant's."""
    reasons = defaultdict(int)
    for c in rendered["charges"]:
        if c["status"] == "succeeded" and not c["captured"] and c["refunded"]:
            reasons[by_id["payment_intents"][c["payment_intent"]]["cancellation_reason"]] += 1
    cases = business.totals["cases"]
    assert cases["authorizations_lapsed"] >= 1
    assert dict(reasons) == {
        "automatic": cases["authorizations_lapsed"],
        "requested_by_customer": cases["authorizations_released"] - cases["authorizations_lapsed"],
    }


def test_charge_captured_later_has_its_event(rendered, by_id):
    events = by_type(rendered)
    assert events["charge.captured"]
    for event in events["charge.captured"]:
        charge = by_id["charges"][event["data"]["object"]["id"]]
        assert charge["captured"] and event["created"] > charge["created"]
        (first,) = [e for e in events["charge.succeeded"]
                    if e["data"]["object"]["id"] == charge["id"]]  # fmt: skip
        assert first["data"]["object"]["captured"] is False
        assert first["data"]["object"]["amount_captured"] == 0
        txn = by_id["balance_transactions"][charge["balance_transaction"]]
        assert txn["created"] == event["created"]  # the money moves when it is captured


def test_refunds_in_every_state(rendered, by_id):
    refunds = rendered["refunds"]
    statuses = {r["status"] for r in refunds}
    assert statuses == {"succeeded", "pending", "failed", "canceled"}
    for r in refunds:
        assert ("failure_reason" in r) == (r["status"] == "failed")
        assert ("pending_reason" in r) == (r["status"] == "pending")
    updated = by_type(rendered)["refund.updated"]
    after_success = [e for e in updated
                     if e["data"]["previous_attributes"] == {"status": "succeeded"}
                     and e["data"]["object"]["status"] == "failed"]  # fmt: skip
    assert after_success  # a refund that failed after it had succeeded, seen in the events
    for e in after_success:
        assert by_id["refunds"][e["data"]["object"]["id"]]["status"] == "failed"


def test_disputes_close_with_their_event(rendered, by_id, closed_at):
    closed = by_type(rendered)["charge.dispute.closed"]
    assert {e["data"]["object"]["status"] for e in closed} == {"won", "lost"}
    for e in closed:
        dispute = by_id["disputes"][e["data"]["object"]["id"]]
        assert dispute["status"] in ("won", "lost")
        assert e["created"] - dispute["created"] >= 20 * 86400  # weeks after it opened
    assert any(month(closed_at[d]) != month(by_id["disputes"][d]["created"]) for d in closed_at)
    unseen = [d for d in rendered["disputes"] if d["status"] == "lost" and d["id"] not in closed_at]
    assert unseen  # closed before the events window: the warehouse books them when opened


def test_deleted_customers_and_draft_invoices(rendered, by_id):
    deleted = rendered["deleted"]
    assert deleted["customers"] and deleted["invoices"]
    gone = set(deleted["customers"])
    for name in ("charges", "invoices", "subscriptions", "payment_intents"):
        assert not gone & {o["customer"] for o in rendered[name]}, name  # never billed
    assert all(by_id["invoices"][i]["status"] == "draft" for i in deleted["invoices"])
    drafts = [i for i in rendered["invoices"] if i["status"] == "draft"]
    assert any(i["id"] not in set(deleted["invoices"]) for i in drafts)
    assert all(i["number"] is None and i["status_transitions"]["finalized_at"] is None
               for i in drafts)  # fmt: skip
    events = by_type(rendered)
    assert {e["data"]["object"]["id"] for e in events["customer.deleted"]} <= gone
    assert events["customer.deleted"] and events["invoice.deleted"]
    assert {e["data"]["object"]["id"] for e in events["invoice.deleted"]} <= set(
        deleted["invoices"]
    )
    assert not gone & {t["customer"] for t in rendered["tax_ids"]}


def test_one_payment_intent_pays_several_invoices(rendered, by_id):
    invoices_of = defaultdict(list)
    for payment in rendered["invoice_payments"]:
        assert payment["object"] == "invoice_payment" and payment["is_default"] is True
        invoices_of[payment["payment"]["payment_intent"]].append(payment)
    several = {pi: ps for pi, ps in invoices_of.items() if len(ps) > 1}
    assert several
    for pi_id, payments in several.items():
        pi = by_id["payment_intents"][pi_id]
        assert sum(p["amount_paid"] for p in payments) == pi["amount"] == pi["amount_received"]
        assert len({p["invoice"] for p in payments}) == len(payments)
        assert all(by_id["invoices"][p["invoice"]]["status"] == "paid" for p in payments)


def test_credit_notes_add_up_and_match_business_totals(business, rendered, by_id):
    rows: dict = defaultdict(lambda: {"total": 0, "tax": 0, "count": 0, "out_of_band": 0})
    credited: dict = defaultdict(int)
    for note in rendered["credit_notes"]:
        lines = note["lines"]
        assert lines["url"] == f"/v1/credit_notes/{note['id']}/lines" and not lines["has_more"]
        assert note["subtotal"] == sum(line["amount"] for line in lines["data"])
        tax = sum(t["amount"] for t in note["total_taxes"])
        assert tax == sum(t["amount"] for line in lines["data"] for t in line["taxes"])
        assert note["total"] == note["subtotal"] + tax == note["amount"]
        inv = by_id["invoices"][note["invoice"]]
        assert inv["status"] == "paid" and note["customer"] == inv["customer"]
        invoice_lines = {line["id"] for line in inv["lines"]["data"]}
        for line in lines["data"]:
            if line["type"] == "invoice_line_item":
                assert line["invoice_line_item"] in invoice_lines
        for refund in note["refunds"]:
            assert by_id["refunds"][refund["refund"]]["amount"] == refund["amount_refunded"]
        credited[inv["id"]] += note["total"]
        row = rows[(month(note["created"]), note["currency"].upper())]
        row["total"] += note["total"]
        row["tax"] += tax
        row["count"] += 1
        row["out_of_band"] += note["out_of_band_amount"] or 0
    assert dict(rows) == business.totals["credit_notes"]
    for inv in rendered["invoices"]:
        assert inv["post_payment_credit_notes_amount"] == credited.get(inv["id"], 0)
    kinds = {line["type"] for note in rendered["credit_notes"] for line in note["lines"]["data"]}
    assert kinds == {"invoice_line_item", "custom_line_item"}
    assert any(note["out_of_band_amount"] for note in rendered["credit_notes"])


EVENT_TYPES = {
    "charge.succeeded", "charge.failed", "charge.pending", "charge.captured", "charge.refunded",
    "refund.created", "refund.updated", "refund.failed", "charge.dispute.created",
    "charge.dispute.closed", "customer.created", "customer.updated", "customer.deleted",
    "invoice.created",
    "invoice.finalized", "invoice.paid", "invoice.deleted", "customer.subscription.created",
    "customer.subscription.updated", "customer.subscription.deleted", "credit_note.created",
}  # fmt: skip
OBJECT_ENTITY = {
    "charge": "charges", "refund": "refunds", "dispute": "disputes", "customer": "customers",
    "invoice": "invoices", "subscription": "subscriptions", "credit_note": "credit_notes",
    "payment_intent": "payment_intents", "invoice_payment": "invoice_payments",
}  # fmt: skip


def test_events_of_the_last_thirty_days(rendered, by_id):
    events = rendered["events"]
    assert {e["type"] for e in events} >= EVENT_TYPES
    assert [e["created"] for e in events] == sorted(e["created"] for e in events)
    assert events[0]["created"] >= EVENTS_SINCE and events[-1]["created"] <= HISTORY_END
    assert {e["api_version"] for e in events} == {"2026-10-28.endive", "2024-06-20",
                                                  "2020-08-27"}  # fmt: skip
    for e in events:
        obj = e["data"]["object"]
        assert obj["id"] in by_id[OBJECT_ENTITY[obj["object"]]], e["type"]
        assert e["type"].split(".")[0] in {
            "charge",
            "refund",
            "customer",
            "invoice",
            "credit_note",
            "payment_intent",
            "invoice_payment",
        }
    # Each event owns its object: changing one changes nothing else.
    first = events[0]["data"]["object"]
    assert first is not by_id[OBJECT_ENTITY[first["object"]]][first["id"]]


def test_isk_is_two_decimal_in_stripe(rendered):
    isk = [s for s in rendered["subscriptions"] if s["currency"] == "isk"]
    assert isk
    for sub in isk:  # whole kronur, times 100
        assert all(item["price"]["unit_amount"] % 100 == 0 for item in sub["items"]["data"])
        assert sub["items"]["data"][0]["price"]["unit_amount"] >= 270_000


def test_embedded_lists_longer_than_a_page(business, rendered):
    """More items (and lines) than Stripe's first embedded page of 10: the rendering holds them
    all (has_more false, total_count); the server sends the first page and pages the rest."""
    many = [s for s in rendered["subscriptions"] if s["items"]["total_count"] > 10]
    assert len(many) >= 2
    for sub in rendered["subscriptions"]:
        items = sub["items"]
        assert items["total_count"] == len(items["data"]) and items["has_more"] is False
        assert len({i["id"] for i in items["data"]}) == len(items["data"])
        assert len({i["price"]["currency"] for i in items["data"]}) == 1
    assert any(len(i["lines"]["data"]) > 10 for i in rendered["invoices"])
    neutral = sum(1 + len(s.addons) for s in business.subscriptions)
    assert sum(s["items"]["total_count"] for s in rendered["subscriptions"]) == neutral


def test_totals_come_from_the_neutral_model(business, rendered):
    """Rendering changes nothing in the history, and the generator never loads a renderer."""
    from sandbox.business.totals import compute_totals

    assert compute_totals(business) == business.totals
    code = (
        "import sys; from sandbox.business import generate; generate(1, 0.02); "
        "print(sorted(m for m in sys.modules if m.startswith('sandbox.stripe')))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_stripe_sandbox_serves_the_stripe_share_only():
    """Customers on Braintree or PayPal are not Stripe's: the store holds the share alone."""
    from sandbox.stripe.store import StripeStore

    whole = generate(seed=5, scale=0.03)
    store = StripeStore.from_business(whole)
    mine = whole.totals["by_account"][("stripe", "sandbox")]["counts"]
    assert {"braintree", "paypal"} <= {c.gateway for c in whole.customers}
    for entity in ("customers", "charges", "refunds", "disputes", "subscriptions", "invoices"):
        assert store.count(entity) == mine[entity] < whole.totals["counts"][entity], entity


def test_identifiers_that_link_a_person_are_on_the_customer(business, rendered):
    """The external id in metadata, the VAT id as a tax id: what matching across gateways
    reads from Stripe."""
    customers = {c["id"]: c for c in rendered["customers"]}
    neutral = list(business.customers)
    assert len(neutral) == len(rendered["customers"])
    with_external = 0
    for c, obj in zip(neutral, rendered["customers"], strict=True):
        assert obj["metadata"].get("external_id") == c.external_id
        with_external += c.external_id is not None
    assert with_external > 10
    tax_ids = {(t["customer"], t["value"]) for t in rendered["tax_ids"]}
    for c, obj in zip(neutral, rendered["customers"], strict=True):
        if c.tax_id and c.deleted_at is None:
            assert (obj["id"], c.tax_id) in tax_ids
    assert set(customers) >= {t["customer"] for t in rendered["tax_ids"]}
