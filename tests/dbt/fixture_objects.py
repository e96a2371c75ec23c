"""Varied copies of Stripe's own example objects (specs/stripe/fixtures3.json), linked to
each other, in several currencies, some in older API shapes: a small raw history for building
the dbt project without the sandbox renderer."""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "specs" / "stripe" / "fixtures3.json"
CURRENCIES = ("usd", "eur", "jpy", "kwd")
BASE_TIME = 1_735_689_600  # 2025-01-01T00:00:00Z
DAY = 86_400


def _resources() -> dict:
    return json.loads(FIXTURES.read_text())["resources"]


def fixture_objects(n: int = 12) -> dict[str, list[dict]]:
    res = _resources()
    out: dict[str, list[dict]] = {k: [] for k in (
        "customers", "charges", "payment_intents", "refunds", "disputes",
        "subscriptions", "invoices", "balance_transactions", "tax_rates", "invoice_payments",
    )}  # fmt: skip
    rate = copy.deepcopy(res["tax_rate"])
    rate_rc = copy.deepcopy(res["tax_rate"]) | {"id": "txr_rc", "percentage": 0}
    out["tax_rates"] += [rate, rate_rc]
    for i in range(n):
        cur, created = CURRENCIES[i % len(CURRENCIES)], BASE_TIME + i * 9 * DAY
        cus = copy.deepcopy(res["customer"]) | {"id": f"cus_{i}", "created": created}
        # Persons 0 and 1 are the same person written twice; odd ones have no email at all.
        cus["email"] = (
            ["  Ana.Lopez@Example.com ", "ana.lopez@example.COM"][i]
            if i < 2
            else (None if i % 2 else f"p{i}@example.com")
        )
        cus["name"] = f"Customer {i}"
        pi = copy.deepcopy(res["payment_intent"]) | {
            "id": f"pi_{i}", "customer": cus["id"], "currency": cur, "created": created,
            "latest_charge": f"ch_{i}", "status": "succeeded",
        }  # fmt: skip
        status = "failed" if i % 5 == 4 else "succeeded"
        amount = 1000 + 137 * i
        ch = copy.deepcopy(res["charge"]) | {
            "id": f"ch_{i}", "customer": cus["id"], "payment_intent": pi["id"], "currency": cur,
            "created": created, "amount": amount, "status": status,
            "amount_captured": amount if status == "succeeded" else 0, "captured": True,
        }  # fmt: skip
        ch.pop("refunds", None)
        out["customers"].append(cus)
        out["payment_intents"].append(pi)
        out["charges"].append(ch)
        if status == "succeeded" and i % 3 == 0:
            out["refunds"].append(copy.deepcopy(res["refund"]) | {
                "id": f"re_{i}", "charge": ch["id"], "amount": amount // 2, "currency": cur,
                "created": created + 40 * DAY, "status": "succeeded" if i % 2 == 0 else "pending",
            })  # fmt: skip
        if status == "succeeded" and i % 4 == 1:
            out["disputes"].append(copy.deepcopy(res["dispute"]) | {
                "id": f"dp_{i}", "charge": ch["id"], "amount": amount, "currency": cur,
                "created": created + 20 * DAY, "status": "lost" if i % 8 == 1 else "won",
            })  # fmt: skip
        sub = copy.deepcopy(res["subscription"]) | {
            "id": f"sub_{i}", "customer": cus["id"], "currency": cur, "created": created,
            "start_date": created, "status": "active" if i % 3 else "canceled",
        }  # fmt: skip
        sub["items"]["data"] = [
            item | {"id": f"si_{i}", "subscription": sub["id"]} for item in sub["items"]["data"]
        ]
        out["subscriptions"].append(sub)
        invoice = _invoice(res, i, cus["id"], sub["id"], pi["id"], cur, created)
        out["invoices"].append(invoice)
        out["invoice_payments"].append(_invoice_payment(invoice, pi["id"]))
        out["balance_transactions"].append(copy.deepcopy(res["balance_transaction"]) | {
            "id": f"txn_{i}", "source": ch["id"], "currency": cur, "created": created,
        })  # fmt: skip
    return out


def _invoice(res: dict, i: int, cus: str, sub: str, pi: str, cur: str, created: int) -> dict:
    inv = copy.deepcopy(res["invoice"])
    inv.pop("payments", None)  # sent only when expanded; the extractor never expands
    line = inv["lines"]["data"][0] | {"id": f"il_{i}", "invoice": f"in_{i}", "currency": cur}
    rc = i % 6 == 5
    tax_amount = 0 if rc else 190
    inv |= {
        "id": f"in_{i}", "customer": cus, "currency": cur, "created": created,
        "status": "paid" if i % 4 else "open", "subtotal": 1000, "total": 1000 + tax_amount,
        "amount_paid": 1000 + tax_amount, "total_discount_amounts": [],
        "lines": {"object": "list", "data": [line, line | {"id": f"il_{i}b", "amount": 0}]},
        "parent": {"type": "subscription_details",
                   "subscription_details": {"subscription": sub, "metadata": {}}},
    }  # fmt: skip
    tax = {
        "amount": tax_amount, "taxable_amount": 1000, "tax_behavior": "exclusive",
        "taxability_reason": "reverse_charge" if rc else "standard_rated",
        "type": "tax_rate_details",
        "tax_rate_details": {"tax_rate": "txr_rc" if rc else "txr_1Pgc7BB7WZ01zgkW4Iwwvf6z"},
    }  # fmt: skip
    if i % 7 == 3:  # an older API shape: subscription and taxes on the invoice itself
        inv.pop("parent")
        inv.pop("total_taxes")
        inv |= {"subscription": sub, "tax": tax_amount, "total_tax_amounts": [
            {"amount": tax_amount, "inclusive": False, "tax_rate": tax["tax_rate_details"][
                "tax_rate"], "taxability_reason": tax["taxability_reason"],
             "taxable_amount": 1000}]}  # fmt: skip
    else:
        inv["total_taxes"] = [tax]
    if i == 2:  # as if expanded, naming another intent: staging must not read it
        inv["payments"] = {"object": "list", "has_more": False, "data": [
            {"id": "inpay_decoy", "payment": {"type": "payment_intent", "payment_intent": "pi_x"}}
        ]}  # fmt: skip
    return inv


def _invoice_payment(inv: dict, pi: str) -> dict:
    paid = inv["status"] == "paid"
    return {
        "id": f"inpay_{inv['id'][3:]}", "object": "invoice_payment", "invoice": inv["id"],
        "amount_paid": inv["amount_paid"] if paid else None, "amount_requested": inv["total"],
        "created": inv["created"], "currency": inv["currency"], "is_default": True,
        "livemode": False, "payment": {"type": "payment_intent", "payment_intent": pi},
        "status": "paid" if paid else "open",
        "status_transitions": {"canceled_at": None, "paid_at": inv["created"] if paid else None},
    }  # fmt: skip
