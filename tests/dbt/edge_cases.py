"""A hand-written Stripe account with what real accounts have and today's sandbox does not:
older API shapes (no amount_captured / balance / amount_capturable / amount_remaining, the
invoice named on the charge or intent), tombstones, an intent paying two invoices, pending and
uncaptured charges, a released authorization, failed / canceled / pending refunds, a dispute
closed weeks after it opened (seen through its events) and one closed before the events
window, messy emails, a customer with no billing at all, credit notes in both shapes.

The expected figures of the tests that load it are written by hand beside them, from the
comments here, never computed by the rule under test."""

from __future__ import annotations

from datetime import UTC, datetime


def at(text: str) -> int:
    """Unix seconds of an ISO UTC time ('2025-03-31 23:59:59')."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def _customer(cid: str, email: str | None, created: str, **extra) -> dict:
    return {
        "id": cid,
        "object": "customer",
        "created": at(created),
        "email": email,
        "name": extra.pop("name", None),
        "livemode": False,
        **extra,
    }


def _charge(
    cid: str, created: str, status: str, amount: int, currency: str, customer: str, **extra
) -> dict:
    return {
        "id": cid,
        "object": "charge",
        "created": at(created),
        "status": status,
        "amount": amount,
        "currency": currency,
        "customer": customer,
        "amount_refunded": 0,
        "paid": status == "succeeded",
        "livemode": False,
        **extra,
    }


def _refund(rid: str, charge: str, created: str, status: str, amount: int, currency: str) -> dict:
    return {
        "id": rid,
        "object": "refund",
        "charge": charge,
        "created": at(created),
        "status": status,
        "amount": amount,
        "currency": currency,
    }


def _event(eid: str, created: str, etype: str, obj: dict, version: str) -> dict:
    return {
        "id": eid,
        "object": "event",
        "created": at(created),
        "type": etype,
        "api_version": version,
        "data": {"object": obj},
        "livemode": False,
    }


def edge_case_objects() -> dict[str, list[dict]]:
    customers = [
        # e1 and e2 are one person: a no-break space and a tab around, an NFD "ë" in e2.
        # e1 is in the 2019 shape (account_balance instead of balance).
        _customer(
            "cus_e1",
            "\u00a0 Zoë.Ng@Example.com\t",
            "2024-12-01 10:00:00",
            name="Zoë Ng",
            account_balance=-500,
        ),
        _customer("cus_e2", "ZOE\u0308.NG@example.com\u2003", "2024-12-02 10:00:00", balance=0),
        # An inner space: another person.
        _customer("cus_e3", "zoë .ng@example.com", "2024-12-03 10:00:00", balance=0),
        # No billing event at all; no balance in any shape.
        _customer("cus_e4", "quiet@example.com", "2024-12-04 10:00:00", name="Quiet Person"),
        _customer("cus_e5", None, "2024-12-05 10:00:00", balance=0),
        # A tombstone: deleted.
        {"id": "cus_del", "object": "customer", "deleted": True},
    ]
    payment_intents = [
        # Older shape: no amount_capturable; the invoice named on the intent.
        {
            "id": "pi_e1",
            "object": "payment_intent",
            "created": at("2025-03-10 09:00:00"),
            "customer": "cus_e1",
            "amount": 1000,
            "currency": "usd",
            "status": "succeeded",
            "latest_charge": "ch_e1",
        },
        {
            "id": "pi_e4",
            "object": "payment_intent",
            "created": at("2025-04-01 00:00:00"),
            "customer": "cus_e3",
            "amount": 2000,
            "amount_capturable": 0,
            "currency": "usd",
            "status": "succeeded",
            "latest_charge": "ch_e4",
        },
        {
            "id": "pi_e5",
            "object": "payment_intent",
            "created": at("2025-02-10 12:00:00"),
            "customer": "cus_e1",
            "amount": 5000,
            "amount_capturable": 0,
            "currency": "eur",
            "status": "succeeded",
            "latest_charge": "ch_e5",
            "invoice": "in_e_pi",
        },
    ]
    charges = [
        # USD 2025-03: captured, older shape (no amount_captured: 1000), invoice on the charge.
        _charge(
            "ch_e1",
            "2025-03-10 09:00:01",
            "succeeded",
            1000,
            "usd",
            "cus_e1",
            captured=True,
            payment_intent="pi_e1",
            invoice="in_e_legacy",
        ),
        # USD 2025-03: an uncaptured authorization, older shape (amount_captured: 0),
        # released later (re_e2).
        _charge("ch_e2", "2025-03-15 12:00:00", "succeeded", 700, "usd", "cus_e2", captured=False),
        # USD: pending on the last second of March: counts nowhere.
        _charge(
            "ch_e3",
            "2025-03-31 23:59:59",
            "pending",
            400,
            "usd",
            "cus_e3",
            captured=True,
            amount_captured=400,
        ),
        # USD 2025-04 (first second): its intent pays two invoices.
        _charge(
            "ch_e4",
            "2025-04-01 00:00:00",
            "succeeded",
            2000,
            "usd",
            "cus_e3",
            captured=True,
            amount_captured=2000,
            payment_intent="pi_e4",
        ),
        # EUR 2025-02: paid through an intent that names its invoice (older shape).
        _charge(
            "ch_e5",
            "2025-02-10 12:00:01",
            "succeeded",
            5000,
            "eur",
            "cus_e1",
            captured=True,
            amount_captured=5000,
            payment_intent="pi_e5",
        ),
        # EUR 2025-01: a payment of the customer deleted since.
        _charge(
            "ch_e6",
            "2025-01-05 12:00:00",
            "succeeded",
            3000,
            "eur",
            "cus_del",
            captured=True,
            amount_captured=3000,
        ),
        _charge(
            "ch_e7",
            "2025-02-01 12:00:00",
            "failed",
            900,
            "usd",
            "cus_e5",
            captured=False,
            amount_captured=0,
        ),
    ]
    refunds = [
        _refund("re_e2", "ch_e2", "2025-03-20 12:00:00", "succeeded", 700, "usd"),  # release
        _refund("re_e4a", "ch_e4", "2025-04-05 12:00:00", "succeeded", 300, "usd"),  # counts
        _refund("re_e4b", "ch_e4", "2025-04-06 12:00:00", "failed", 200, "usd"),
        _refund("re_e4c", "ch_e4", "2025-04-07 12:00:00", "canceled", 100, "usd"),
        _refund("re_e4d", "ch_e4", "2025-04-08 12:00:00", "pending", 150, "usd"),
    ]
    disputes = [
        # Opened in February, lost; closed on 2025-04-02 (its first closing event).
        {
            "id": "dp_e5",
            "object": "dispute",
            "charge": "ch_e5",
            "created": at("2025-02-20 00:00:00"),
            "status": "lost",
            "amount": 5000,
            "currency": "eur",
            "reason": "fraudulent",
        },
        # Lost, but closed before the events window: counts in January, estimated.
        {
            "id": "dp_e6",
            "object": "dispute",
            "charge": "ch_e6",
            "created": at("2025-01-15 00:00:00"),
            "status": "lost",
            "amount": 3000,
            "currency": "eur",
            "reason": "fraudulent",
        },
    ]
    invoices = [
        # Older shape, paid: no amount_remaining (0 once paid).
        {
            "id": "in_e_legacy",
            "object": "invoice",
            "created": at("2025-03-10 08:00:00"),
            "customer": "cus_e1",
            "status": "paid",
            "currency": "usd",
            "subtotal": 1000,
            "total": 1000,
            "amount_due": 1000,
            "amount_paid": 1000,
            "tax": 0,
        },
        {
            "id": "in_e_pi",
            "object": "invoice",
            "created": at("2025-02-10 11:00:00"),
            "customer": "cus_e1",
            "status": "paid",
            "currency": "eur",
            "subtotal": 5000,
            "total": 5000,
            "amount_due": 5000,
            "amount_paid": 5000,
            "amount_remaining": 0,
        },
        {
            "id": "in_e_a",
            "object": "invoice",
            "created": at("2025-03-30 08:00:00"),
            "customer": "cus_e3",
            "status": "paid",
            "currency": "usd",
            "subtotal": 1200,
            "total": 1200,
            "amount_due": 1200,
            "amount_paid": 1200,
            "amount_remaining": 0,
        },
        # Older shape, open: amount_remaining = amount_due - amount_paid = 600.
        {
            "id": "in_e_b",
            "object": "invoice",
            "created": at("2025-03-31 08:00:00"),
            "customer": "cus_e3",
            "status": "open",
            "currency": "usd",
            "subtotal": 800,
            "total": 800,
            "amount_due": 800,
            "amount_paid": 200,
        },
        {"id": "in_del", "object": "invoice", "deleted": True},
    ]
    invoice_payments = [
        {
            "id": "inpay_e_a",
            "object": "invoice_payment",
            "invoice": "in_e_a",
            "created": at("2025-03-30 08:00:00"),
            "currency": "usd",
            "amount_paid": 1200,
            "amount_requested": 1200,
            "is_default": True,
            "status": "paid",
            "payment": {"type": "payment_intent", "payment_intent": "pi_e4"},
            "status_transitions": {"paid_at": at("2025-04-01 00:00:00"), "canceled_at": None},
        },
        {
            "id": "inpay_e_b",
            "object": "invoice_payment",
            "invoice": "in_e_b",
            "created": at("2025-03-29 08:00:00"),
            "currency": "usd",
            "amount_paid": 200,
            "amount_requested": 800,
            "is_default": True,
            "status": "open",
            "payment": {"type": "payment_intent", "payment_intent": "pi_e4"},
            "status_transitions": {"paid_at": None, "canceled_at": None},
        },
    ]
    dispute_closed = {"id": "dp_e5", "object": "dispute", "status": "lost", "charge": "ch_e5"}
    events = [
        _event(
            "evt_e1",
            "2025-02-20 00:00:01",
            "charge.dispute.created",
            dispute_closed | {"status": "needs_response"},
            "2024-06-20",
        ),
        _event(
            "evt_e2", "2025-04-02 10:00:00", "charge.dispute.closed", dispute_closed, "2020-08-27"
        ),
        _event(
            "evt_e3",
            "2025-04-10 10:00:00",
            "charge.dispute.closed",
            dispute_closed,
            "2026-10-28.endive",
        ),  # a later duplicate: the first closing counts
        _event(
            "evt_e4",
            "2025-03-01 10:00:00",
            "customer.deleted",
            {"id": "cus_del", "object": "customer", "email": "gone@example.com"},
            "2026-10-28.endive",
        ),
    ]
    credit_notes = [
        {
            "id": "cn_e1",
            "object": "credit_note",
            "created": at("2025-04-03 10:00:00"),
            "invoice": "in_e_a",
            "customer": "cus_e3",
            "number": "CN-0001",
            "status": "issued",
            "type": "post_payment",
            "reason": "product_unsatisfactory",
            "currency": "usd",
            "amount": 500,
            "subtotal": 500,
            "total": 500,
            "discount_amount": 0,
            "total_taxes": [],
            "refunds": [{"refund": "re_e4a", "amount_refunded": 300}],
            "lines": {
                "object": "list",
                "has_more": False,
                "data": [
                    {
                        "id": "cnli_e1a",
                        "object": "credit_note_line_item",
                        "type": "invoice_line_item",
                        "invoice_line_item": "il_e_a1",
                        "amount": 300,
                        "discount_amount": 0,
                        "quantity": 1,
                        "taxes": [],
                    },
                    {
                        "id": "cnli_e1b",
                        "object": "credit_note_line_item",
                        "type": "custom_line_item",
                        "amount": 200,
                        "discount_amount": 0,
                        "quantity": 2,
                        "unit_amount": 100,
                        "taxes": [{"amount": 0}],
                    },
                ],
            },
        },
        # Older shape: one refund, tax_amounts.
        {
            "id": "cn_e2",
            "object": "credit_note",
            "created": at("2025-03-12 10:00:00"),
            "invoice": "in_e_legacy",
            "customer": "cus_e1",
            "number": "CN-0002",
            "status": "void",
            "type": "pre_payment",
            "currency": "usd",
            "amount": 100,
            "subtotal": 100,
            "total": 110,
            "discount_amount": 0,
            "refund": None,
            "tax_amounts": [{"amount": 10, "inclusive": False, "tax_rate": "txr_x"}],
            "voided_at": at("2025-03-13 10:00:00"),
            "lines": {
                "object": "list",
                "has_more": False,
                "data": [
                    {
                        "id": "cnli_e2a",
                        "object": "credit_note_line_item",
                        "type": "custom_line_item",
                        "amount": 100,
                        "discount_amount": 0,
                        "quantity": 1,
                        "unit_amount": 100,
                        "tax_amounts": [{"amount": 10}],
                    }
                ],
            },
        },
    ]
    return {
        "customers": customers,
        "payment_intents": payment_intents,
        "charges": charges,
        "refunds": refunds,
        "disputes": disputes,
        "invoices": invoices,
        "invoice_payments": invoice_payments,
        "events": events,
        "credit_notes": credit_notes,
    }


def warning_objects() -> dict[str, list[dict]]:
    """The account plus what real data has and the warnings are for: a charge in a currency
    outside the seed (XTS), a refund whose charge never landed; and an Icelandic customer
    (cus_isk) with a charge of 270000 ISK in Stripe's units (2,700 kronur: 2700 in ISO 4217
    minor units) refunded 100000 (1,000 kr) in May and lost to a dispute of 50000 (500 kr)
    opened in May, and one of 270050 (2,700.50 kronur: no whole krona, so no whole ISO minor
    unit; its amounts are NULL from intermediate on and a warning lists them)."""
    objects = edge_case_objects()
    objects["customers"].append(
        _customer("cus_isk", "bjork@example.is", "2025-04-01 10:00:00", name="Björk Guðmundsdóttir",
                  balance=0, currency="isk")
    )  # fmt: skip
    objects["charges"].append(
        {"id": "ch_isk", "object": "charge", "created": at("2025-04-02 12:30:00"),
         "status": "succeeded", "amount": 270000, "amount_captured": 270000, "captured": True,
         "amount_refunded": 0, "currency": "isk", "customer": "cus_isk"}
    )  # fmt: skip
    objects["charges"].append(
        {"id": "ch_xts", "object": "charge", "created": at("2025-04-02 12:00:00"),
         "status": "succeeded", "amount": 100, "amount_captured": 100, "captured": True,
         "currency": "xts", "customer": "cus_e5"}
    )  # fmt: skip
    objects["charges"].append(
        {"id": "ch_isk_cents", "object": "charge", "created": at("2025-04-02 13:00:00"),
         "status": "succeeded", "amount": 270050, "amount_captured": 270050, "captured": True,
         "amount_refunded": 0, "currency": "isk", "customer": "cus_isk"}
    )  # fmt: skip
    objects["refunds"].append(
        {"id": "re_isk", "object": "refund", "charge": "ch_isk",
         "created": at("2025-05-03 12:00:00"), "status": "succeeded", "amount": 100000,
         "currency": "isk"}
    )  # fmt: skip
    objects["disputes"].append(
        {"id": "dp_isk", "object": "dispute", "charge": "ch_isk",
         "created": at("2025-05-10 00:00:00"), "status": "lost", "amount": 50000,
         "currency": "isk", "reason": "fraudulent"}
    )  # fmt: skip
    objects["refunds"].append(
        {"id": "re_orphan", "object": "refund", "charge": "ch_not_landed",
         "created": at("2025-04-03 12:00:00"), "status": "succeeded", "amount": 50,
         "currency": "usd"}
    )  # fmt: skip
    return objects
