"""Invoicing v2 invoices: lines, discount, tax, amounts due and paid, PayPal's status."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.paypal import ids
from sandbox.paypal.money import money
from sandbox.paypal.render import API_BASE, iso, link, name_of

INVOICE_STATUS = {"draft": "DRAFT", "open": "SENT", "paid": "PAID", "uncollectible": "CANCELLED"}


def invoice(inv: Any) -> dict[str, Any]:
    iid = ids.invoice_id(inv.id)
    cur = inv.currency
    day = datetime.fromtimestamp(inv.created, UTC).strftime("%Y-%m-%d")
    items = []
    for line in inv.lines:
        item: dict[str, Any] = {
            "id": f"ITEM-{ids.transaction_id(line.id)}",
            "name": line.description[:200] or "Item",
            "quantity": str(line.quantity),
            "unit_amount": money(line.amount // max(line.quantity, 1), cur)
            if line.amount % max(line.quantity, 1) == 0
            else money(line.amount, cur),
            "unit_of_measure": "QUANTITY",
        }
        if line.amount % max(line.quantity, 1) != 0:
            item["quantity"] = "1"
        if line.tax is not None:
            item["tax"] = {
                "name": line.tax.tax_rate.display_name,
                "percent": line.tax.tax_rate.percentage,
                "amount": money(line.tax.amount, cur),
            }
        if line.discount_amount:
            item["discount"] = {"amount": money(line.discount_amount, cur)}
        items.append(item)
    status = INVOICE_STATUS.get(inv.status, "SENT")
    metadata = {
        "create_time": iso(inv.created),
        "last_update_time": iso(inv.paid_at or inv.created),
    }
    if status != "DRAFT":
        metadata["first_sent_time"] = iso(inv.created)
    obj: dict[str, Any] = {
        "id": iid,
        "status": status,
        "detail": {
            "invoice_number": inv.number,
            "reference": ids.subscription_id(inv.subscription.id) if inv.subscription else "",
            "invoice_date": day,
            "currency_code": cur,
            "payment_term": {"term_type": "DUE_ON_RECEIPT", "due_date": day},
            "metadata": metadata,
        },
        "invoicer": {"email_address": "billing@ledgerdesk.example"},
        "primary_recipients": [
            {
                "billing_info": {
                    "name": name_of(inv.customer),
                    "email_address": inv.customer.email,
                }
            }
        ],
        "items": items,
        "amount": {
            "currency_code": cur,
            "value": money(inv.total, cur)["value"],
            "breakdown": {
                "item_total": money(inv.subtotal, cur),
                "discount": {"invoice_discount": {"amount": money(-inv.discount_amount, cur)}},
                "tax_total": money(inv.tax_amount, cur),
            },
        },
        "due_amount": money(inv.total - inv.amount_paid if status != "CANCELLED" else 0, cur),
        "links": [link(API_BASE, f"/v2/invoicing/invoices/{iid}")],
    }
    if not obj["detail"]["reference"]:
        del obj["detail"]["reference"]
    if inv.amount_paid:
        obj["payments"] = {"paid_amount": money(inv.amount_paid, cur)}
    return obj
