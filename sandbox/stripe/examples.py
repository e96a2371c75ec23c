"""A small, consistent Stripe history built from Stripe's own example objects (fixtures3.json).

For tests that need real-shaped objects without the generated business: `n` customers, each
with charges (some refunded, one awaiting capture), payment intents, a subscription (some
canceled), an invoice with lines (some open), balance transactions and events. The caller
reads the fixture file and passes its `resources` mapping.
"""

from __future__ import annotations

import copy
from typing import Any

START = 1_700_000_000  # 2023-11-14: every created time is after this


def _like(resources: dict[str, Any], kind: str, **fields: Any) -> dict:
    obj = copy.deepcopy(resources[kind])
    obj.update(fields)
    return obj


def example_objects(resources: dict[str, Any], n: int = 30) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {k: [] for k in ("customers", "charges", "payment_intents")}
    for k in ("refunds", "subscriptions", "invoices", "balance_transactions", "tax_rates"):
        out[k] = []
    out["disputes"], out["events"] = [], []
    t = START
    out["tax_rates"].append(_like(resources, "tax_rate", id="txr_ex0001", created=t))
    for i in range(n):
        t += 3600
        cus = f"cus_ex{i:04d}"
        out["customers"].append(
            _like(
                resources, "customer", id=cus, created=t, email=f"c{i}@example.com", name=f"C {i}"
            )
        )
        for j in range(3):
            t += 60 if j else 0  # the first charge shares the customer's second: a tie
            ch, pi, txn = f"ch_ex{i:04d}{j}", f"pi_ex{i:04d}{j}", f"txn_ex{i:04d}{j}"
            amount = 1000 + 100 * i + j
            uncaptured = i == 1 and j == 0
            out["payment_intents"].append(
                _like(
                    resources,
                    "payment_intent",
                    id=pi,
                    created=t,
                    amount=amount,
                    customer=cus,
                    latest_charge=ch,
                    capture_method="manual" if uncaptured else "automatic",
                    status="requires_capture" if uncaptured else "succeeded",
                    amount_capturable=amount if uncaptured else 0,
                    amount_received=0 if uncaptured else amount,
                    canceled_at=None,
                    last_payment_error=None,
                )
            )
            refunded = amount if j == 2 else 0
            out["charges"].append(
                _like(
                    resources,
                    "charge",
                    id=ch,
                    created=t,
                    amount=amount,
                    amount_captured=0 if uncaptured else amount,
                    captured=not uncaptured,
                    amount_refunded=refunded,
                    refunded=bool(refunded),
                    customer=cus,
                    payment_intent=pi,
                    balance_transaction=None if uncaptured else txn,
                )
            )
            if not uncaptured:
                out["balance_transactions"].append(
                    _like(
                        resources,
                        "balance_transaction",
                        id=txn,
                        created=t,
                        amount=amount,
                        net=amount,
                        source=ch,
                    )
                )
            if refunded:
                out["refunds"].append(
                    _like(
                        resources,
                        "refund",
                        id=f"re_ex{i:04d}",
                        created=t + 30,
                        amount=amount,
                        charge=ch,
                        payment_intent=pi,
                    )
                )
        if i % 7 == 3:
            out["disputes"].append(
                _like(
                    resources,
                    "dispute",
                    id=f"dp_ex{i:04d}",
                    created=t + 40,
                    charge=f"ch_ex{i:04d}1",
                )
            )
        sub = f"sub_ex{i:04d}"
        canceled = i % 5 == 4
        out["subscriptions"].append(
            _like(
                resources,
                "subscription",
                id=sub,
                created=t,
                customer=cus,
                status="canceled" if canceled else "active",
                canceled_at=t + 50 if canceled else None,
                ended_at=t + 50 if canceled else None,
                cancel_at=None,
            )
        )
        inv = f"in_ex{i:04d}"
        lines = [
            _like(resources, "line_item", id=f"il_ex{i:04d}{k}", invoice=inv, amount=500 + k)
            for k in range(3 if i % 2 else 12)
        ]
        invoice = _like(
            resources,
            "invoice",
            id=inv,
            created=t,
            customer=cus,
            status="open" if i % 3 == 0 else "paid",
        )
        invoice["lines"] = {
            "object": "list",
            "data": lines[:10],
            "has_more": len(lines) > 10,
            "total_count": len(lines),
            "url": f"/v1/invoices/{inv}/lines",
        }
        out["invoices"].append(invoice)
        out["invoice_lines"] = [*out.get("invoice_lines", []), *lines]
        out["events"].append(
            _like(
                resources,
                "event",
                id=f"evt_ex{i:04d}",
                created=t,
                type="customer.created" if i % 2 else "charge.succeeded",
                data={"object": out["customers"][-1] if i % 2 else out["charges"][-1]},
            )
        )
    return out
