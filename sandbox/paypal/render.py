"""PayPal's objects from the business's share: what each API would answer, field for field.

How the neutral history becomes PayPal's (the rules the warehouse then reads back):
- a captured charge is a Transaction Search payment: T0003 (pre-approved, a subscription's
  invoice) or T0006 (a one-off checkout), status S (P pending, D denied), its fee negative in
  `fee_amount`; it is also a Payments v2 capture with the same id;
- an authorization (a charge captured later, or never) is a Payments v2 authorization and a
  Transaction Search row T1300 that is not balance-affecting (listed only with
  `balance_affecting_records_only=N`), its status P while open, S once captured, V voided;
  the capture is the payment row, `paypal_reference_id` the authorization;
- a refund is its own transaction T1107, amount negative, `paypal_reference_id` the payment;
- a lost dispute's money is a row of its own, amount negative, on the day it closed: a
  payment reversal T1106 for a buyer's claim made through PayPal (channel INTERNAL), a
  chargeback T1201 for a card issuer's (EXTERNAL, `EXTERNAL_REASONS`); every dispute is in
  the Disputes API;
- the person's external id rides in `custom_field` (Transaction Search) and `custom_id`
  (subscriptions, captures).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.paypal import ids
from sandbox.paypal.money import money

# Reasons a card issuer raises (a chargeback, channel EXTERNAL); the others are buyers'
# claims through PayPal (INTERNAL), reversed by PayPal itself when lost.
EXTERNAL_REASONS = frozenset({"fraudulent", "credit_not_processed", "duplicate", "general"})
TXN_STATUS = {"succeeded": "S", "pending": "P", "failed": "D", "canceled": "V"}


def iso(ts: int) -> str:
    """PayPal's Internet date-time, UTC (`2026-10-31T23:59:59Z`)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def search_date(ts: int) -> str:
    """Transaction Search writes its dates with a numeric offset (`+00:00`, the pattern of
    its `date_time` schema; the gateway has also been seen sending `+0000`, which the reader
    takes too)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def name_of(customer: Any) -> dict[str, str]:
    given, _, surname = customer.name.partition(" ")
    return {"given_name": given, "surname": surname or given}


def payer_info(customer: Any) -> dict[str, Any]:
    return {
        "account_id": ids.payer_id(customer.id),
        "email_address": customer.email,
        "address_status": "Y",
        "payer_status": "Y",
        "payer_name": {**name_of(customer), "alternate_full_name": customer.name},
        "country_code": customer.country,
    }


def transaction(
    *,
    tid: str,
    code: str,
    at: int,
    updated: int,
    amount: int,
    currency: str,
    status: str,
    customer: Any,
    fee: int | None = None,
    reference: str | None = None,
    subject: str | None = None,
    invoice_number: str | None = None,
) -> dict[str, Any]:
    info: dict[str, Any] = {
        "paypal_account_id": ids.payer_id(customer.id),
        "transaction_id": tid,
        "transaction_event_code": code,
        "transaction_initiation_date": search_date(at),
        "transaction_updated_date": search_date(updated),
        "transaction_amount": money(amount, currency),
        "transaction_status": status,
        "protection_eligibility": "01",
    }
    if reference:
        info["paypal_reference_id"] = reference
        info["paypal_reference_id_type"] = "TXN"
    if fee is not None:
        info["fee_amount"] = money(-fee, currency)
    if subject:
        info["transaction_subject"] = subject
    if invoice_number:
        info["invoice_id"] = invoice_number
    external = getattr(customer, "external_id", None)
    if external:
        info["custom_field"] = external
    return {
        "transaction_info": info,
        "payer_info": payer_info(customer),
        "shipping_info": {},  # a subscription business ships nothing
        "cart_info": {},
        "store_info": {},
        "auction_info": {},
        "incentive_info": {},
    }


def authorization_id(charge: Any) -> str:
    return ids.transaction_id(f"auth:{charge.id}")


def authorization_state(charge: Any) -> tuple[str, int]:
    """(Transaction Search status, when it last changed) of a charge's authorization."""
    if charge.captured:
        return "S", charge.captured_at or charge.created
    if charge.released_at is not None:
        return "V", charge.released_at
    return "P", charge.created


def authorization_transaction(charge: Any) -> dict[str, Any]:
    status, updated = authorization_state(charge)
    return transaction(
        tid=authorization_id(charge), code="T1300", at=charge.created, updated=updated,
        amount=charge.amount, currency=charge.currency, status=status, customer=charge.customer,
        subject=charge.payment_intent.description,
    )  # fmt: skip


def dispute_channel(dispute: Any) -> str:
    return "EXTERNAL" if dispute.reason in EXTERNAL_REASONS else "INTERNAL"


def payment_transaction(charge: Any) -> dict[str, Any]:
    invoice = charge.payment_intent.invoice
    recurring = invoice is not None and invoice.subscription is not None
    manual = charge.payment_intent.capture_method == "manual"
    return transaction(
        tid=ids.transaction_id(charge.id),
        code="T0003" if recurring else "T0006",
        at=charge.created,
        updated=charge.captured_at or charge.created,
        amount=charge.amount,
        currency=charge.currency,
        status=TXN_STATUS[charge.status],
        customer=charge.customer,
        fee=charge.fee if charge.status == "succeeded" else None,
        subject=charge.payment_intent.description or (invoice and f"Invoice {invoice.number}"),
        invoice_number=invoice.number if invoice else None,
        reference=authorization_id(charge) if manual else None,
    )


def refund_transaction(refund: Any) -> dict[str, Any]:
    at = refund.history[-1][0] if refund.history else refund.created
    return transaction(
        tid=ids.transaction_id(refund.id),
        code="T1107",
        at=refund.created,
        updated=at,
        amount=-refund.amount,
        currency=refund.currency,
        status=TXN_STATUS[refund.status],
        customer=refund.charge.customer,
        reference=ids.transaction_id(refund.charge.id),
    )


def lost_dispute_transaction(dispute: Any) -> dict[str, Any]:
    """The money of a dispute decided for the buyer: PayPal's reversal of the payment (T1106)
    or the card issuer's chargeback (T1201)."""
    at = dispute.closed_at or dispute.created
    return transaction(
        tid=ids.transaction_id(f"cb:{dispute.id}"),
        code="T1201" if dispute_channel(dispute) == "EXTERNAL" else "T1106",
        at=at,
        updated=at,
        amount=-dispute.amount,
        currency=dispute.currency,
        status="S",
        customer=dispute.charge.customer,
        reference=ids.transaction_id(dispute.charge.id),
    )


API_BASE = "https://api-m.paypal.com"  # where PayPal's links point


def link(base: str, path: str, rel: str = "self", method: str = "GET") -> dict[str, str]:
    return {"href": f"{base}{path}", "rel": rel, "method": method}
