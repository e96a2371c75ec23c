"""Older Stripe API versions: a pinned-version (2026-10-28.endive) object in an older shape.

`downgrade(entity, obj, version)` returns a new dict; `obj` is not changed. `entity` is the
store key (`"charges"`) or the object name (`"charge"`). Only breaking changes are undone:
fields Stripe added without a version bump (`amount_captured` on charges, `balance` on
customers, `amount_capturable` on payment intents, `amount_remaining` on invoices) are in
every version, and the 2020-08-27 description (tests/specs/stripe/spec3.json) lists each of
them as present (most as required), so they stay.

The changes undone, newest first, each with Stripe's changelog reason:

- 2025-03-31.basil ("Invoices: multiple partial payments", "Invoice parent", "Tax amounts"):
  invoices lost `paid`, `paid_out_of_band`, `charge`, `payment_intent` (payments moved to
  InvoicePayment objects), `subscription` and `subscription_proration_date` (moved under
  `parent.subscription_details`), `total_tax_amounts` and `tax` (replaced by `total_taxes`),
  `discount` (only `discounts`); line items lost `type`, `proration`, `subscription_item`,
  `invoice_item` (under `parent.*_details`), `price` (now `pricing.price_details`),
  `tax_amounts` and `tax_rates` (now `taxes`); subscriptions lost `current_period_start/end`
  (moved onto each subscription item) and `discount`; charges and payment intents lost
  `invoice`; credit notes lost `tax_amounts` (now `total_taxes`, lines `taxes`) and `refund`
  (now the `refunds` list).
- 2022-11-15: charges stopped embedding `refunds` (expandable only), payment intents lost the
  embedded `charges` list (replaced by `latest_charge`).

`related` gives what the old shape needs but the object alone does not hold: `invoice` (the
invoice a charge or payment intent paid), `charge` / `payment_intent` (an invoice's paying
ones), `refunds` (a charge's refund objects), `charges` (a payment intent's charge objects).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

PINNED = "2026-10-28.endive"
BASIL = "2025-03-31"
CLOVER = "2022-11-15"
SUPPORTED = ("2020-08-27", "2024-06-20", PINNED)

_ENTITY_OF = {
    "charge": "charges",
    "customer": "customers",
    "payment_intent": "payment_intents",
    "invoice": "invoices",
    "line_item": "invoice_lines",
    "subscription": "subscriptions",
    "credit_note": "credit_notes",
    "credit_note_line_item": "credit_note_lines",
    "subscription_item": "subscription_items",
}


def older(version: str, than: str) -> bool:
    """Whether API `version` predates `than` (dates compare as strings)."""
    return version[:10] < than[:10]


def downgrade(
    entity: str,
    obj: dict,
    version: str,
    related: Mapping[str, Any] | None = None,
    from_version: str = PINNED,
) -> dict:
    """`obj` (in `from_version`'s shape, the pinned one unless said) as API `version` answers it.

    Only the changes between the two versions are undone, so an event stored in 2024-06-20's
    shape can be served to a 2020-08-27 account.
    """
    entity = _ENTITY_OF.get(entity, entity)
    if not older(version, from_version):
        return obj
    out = copy.deepcopy(obj)
    rel = related or {}
    step = _STEPS.get(entity)
    if step is not None:
        step(out, version, rel, from_version)
    return out


def _crosses(version: str, src: str, change: str) -> bool:
    """Whether the change made in version `change` lies between `version` and `src`."""
    return older(version, change) and not older(src, change)


class Relations:
    """What `downgrade` needs beyond the object, from all objects of a store or render.

    The links are the pinned version's: an invoice's payments name its payment intents; a
    charge names its payment intent; a refund names its charge.
    """

    def __init__(self, objects: Mapping[str, Any]) -> None:
        self.refunds: dict[str, list[dict]] = {}
        for refund in objects.get("refunds", ()):
            self.refunds.setdefault(refund.get("charge"), []).append(refund)
        self.charges: dict[str, list[dict]] = {}
        for charge in objects.get("charges", ()):
            self.charges.setdefault(charge.get("payment_intent"), []).append(charge)
        intents = {pi["id"]: pi for pi in objects.get("payment_intents", ())}
        self.invoice_of: dict[str, str] = {}  # payment intent or charge -> invoice
        self.paid_by: dict[str, tuple[str, str | None]] = {}  # invoice -> (intent, charge)
        # A payment intent paying several invoices (not possible before basil) shows the
        # first one it paid (then the first created, then the lowest invoice id).
        payments = sorted(
            objects.get("invoice_payments", ()),
            key=lambda p: (p.get("status") != "paid", p.get("created") or 0, p["invoice"]),
        )
        for payment in payments:
            intent_id = (payment.get("payment") or {}).get("payment_intent")
            if not intent_id:
                continue
            self.invoice_of.setdefault(intent_id, payment["invoice"])
            charge_id = (intents.get(intent_id) or {}).get("latest_charge")
            if charge_id:
                self.invoice_of.setdefault(charge_id, payment["invoice"])
            if payment.get("is_default") or payment["invoice"] not in self.paid_by:
                self.paid_by[payment["invoice"]] = (intent_id, charge_id)
        for charge in objects.get("charges", ()):  # every attempt, failed ones too
            invoice = self.invoice_of.get(charge.get("payment_intent"))
            if invoice is not None:
                self.invoice_of.setdefault(charge["id"], invoice)

    def of(self, kind: str, obj: dict) -> dict[str, Any]:
        entity = _ENTITY_OF.get(kind, kind)
        oid = obj.get("id")
        if entity == "charges":
            return {"invoice": self.invoice_of.get(oid), "refunds": self.refunds.get(oid, [])}
        if entity == "payment_intents":
            return {"invoice": self.invoice_of.get(oid), "charges": self.charges.get(oid, [])}
        if entity == "invoices":
            intent, charge = self.paid_by.get(oid, (None, None))
            return {"payment_intent": intent, "charge": charge}
        return {}


def _tax_amounts(taxes: list[dict] | None) -> list[dict]:
    return [
        {
            "amount": t["amount"],
            "inclusive": t.get("tax_behavior") == "inclusive",
            "tax_rate": (t.get("tax_rate_details") or {}).get("tax_rate"),
            "taxability_reason": t.get("taxability_reason"),
            "taxable_amount": t.get("taxable_amount"),
        }
        for t in taxes or []
    ]


def _invoice(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if not _crosses(version, src, BASIL):
        return
    parent = out.pop("parent", None) or {}
    details = parent.get("subscription_details") or {}
    out["subscription"] = details.get("subscription")
    out["subscription_proration_date"] = None
    out["paid"] = out.get("status") == "paid"
    out["paid_out_of_band"] = bool(rel.get("paid_out_of_band", False))
    out["charge"] = rel.get("charge")
    out["payment_intent"] = rel.get("payment_intent")
    taxes = out.pop("total_taxes", None)
    out["total_tax_amounts"] = _tax_amounts(taxes)
    out["tax"] = sum(t["amount"] for t in taxes) if taxes else None
    out["discount"] = None
    out.pop("total_pretax_credit_amounts", None)
    out.pop("payments", None)  # InvoicePayment objects do not exist before basil
    lines = out.get("lines")
    if isinstance(lines, dict):
        for line in lines.get("data") or []:
            _line_item(line, version, rel, src)


def _line_item(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if not _crosses(version, src, BASIL):
        return
    parent = out.pop("parent", None) or {}
    sub_item = parent.get("subscription_item_details")
    inv_item = parent.get("invoice_item_details")
    details = sub_item or inv_item or {}
    out["type"] = "subscription" if sub_item else "invoiceitem"
    out["proration"] = bool(details.get("proration", False))
    out["subscription_item"] = (sub_item or {}).get("subscription_item")
    out["invoice_item"] = details.get("invoice_item")
    if out.get("subscription") is None:
        out["subscription"] = details.get("subscription")
    pricing = out.pop("pricing", None) or {}
    price_id = (pricing.get("price_details") or {}).get("price")
    out["price"] = (
        None
        if price_id is None
        else {
            "id": price_id,
            "object": "price",
            "unit_amount_decimal": pricing.get("unit_amount_decimal"),
        }
    )
    out["tax_amounts"] = _tax_amounts(out.pop("taxes", None))
    out["tax_rates"] = []
    out.pop("pretax_credit_amounts", None)


def _subscription(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if not _crosses(version, src, BASIL):
        return
    items = (out.get("items") or {}).get("data") or []
    first = items[0] if items else {}
    out["current_period_start"] = first.get("current_period_start", out.get("start_date"))
    out["current_period_end"] = first.get("current_period_end")
    for item in items:
        item.pop("current_period_start", None)
        item.pop("current_period_end", None)
    out["discount"] = None


def _subscription_item(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if _crosses(version, src, BASIL):
        out.pop("current_period_start", None)
        out.pop("current_period_end", None)


def _charge(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if _crosses(version, src, BASIL):
        out["invoice"] = rel.get("invoice")
    if _crosses(version, src, CLOVER):
        refunds = list(rel.get("refunds") or [])
        out["refunds"] = {
            "object": "list",
            "data": refunds[:10],
            "has_more": len(refunds) > 10,
            "total_count": len(refunds),
            "url": f"/v1/charges/{out['id']}/refunds",
        }


def _payment_intent(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if _crosses(version, src, BASIL):
        out["invoice"] = rel.get("invoice")
    if _crosses(version, src, CLOVER):
        charges = list(rel.get("charges") or [])
        out.pop("latest_charge", None)
        out["charges"] = {
            "object": "list",
            "data": [downgrade("charges", c, version) for c in charges[:10]],
            "has_more": len(charges) > 10,
            "total_count": len(charges),
            "url": f"/v1/charges?payment_intent={out['id']}",
        }


def _credit_note(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if not _crosses(version, src, BASIL):
        return
    out["tax_amounts"] = _tax_amounts(out.pop("total_taxes", None))
    refunds = out.pop("refunds", None) or []
    first = refunds[0].get("refund") if refunds else None
    out["refund"] = first.get("id") if isinstance(first, dict) else first
    out.pop("total_pretax_credit_amounts", None)
    lines = out.get("lines")
    if isinstance(lines, dict):
        for line in lines.get("data") or []:
            _credit_note_line(line, version, rel, src)


def _credit_note_line(out: dict, version: str, rel: Mapping[str, Any], src: str) -> None:
    if _crosses(version, src, BASIL):
        out["tax_amounts"] = _tax_amounts(out.pop("taxes", None))
        out.pop("pretax_credit_amounts", None)


_STEPS = {
    "invoices": _invoice,
    "invoice_lines": _line_item,
    "subscriptions": _subscription,
    "subscription_items": _subscription_item,
    "charges": _charge,
    "payment_intents": _payment_intent,
    "credit_notes": _credit_note,
    "credit_note_lines": _credit_note_line,
}
