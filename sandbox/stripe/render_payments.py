"""Payment intents, charges, refunds, disputes and balance transactions as Stripe objects.

State at the end of the history. A charge: `captured` false and amount_captured 0 for a
declined charge and an authorization not captured (released or not); a released one is
`refunded` with amount_refunded = amount (Stripe refunds the uncaptured amount). A pending bank
debit is captured with amount_captured = amount and has no balance transaction yet. A refund
shows its latest status; a failed one has `failure_reason` and a `failure_balance_transaction`
(when it had moved money), a pending one `pending_reason`; a canceled refund and the refund of
a released authorization never moved money (no balance transaction).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

from sandbox.business.clock import DAY, HISTORY_END
from sandbox.business.model import Charge, Dispute, PaymentIntent, Refund
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_parties import address
from sandbox.stripe.render_shapes import fresh

DESCRIPTOR = "LEDGERDESK DEMO"
NETWORK_REASON = {
    "fraudulent": "10.4",
    "product_not_received": "13.1",
    "subscription_canceled": "13.2",
    "general": "13.3",
}
DISPUTE_STATUS = {"needs_response": "needs_response", "under_review": "under_review"}


def _pi_description(pi: PaymentIntent) -> str:
    if pi.description:
        return pi.description
    invoice = pi.invoice
    reason = invoice.billing_reason if invoice else "manual"
    return {
        "subscription_create": "Subscription creation",
        "subscription_update": "Subscription update",
    }.get(reason, "Subscription cycle" if reason == "subscription_cycle" else "Payment")


def render_payment_intent(pi: PaymentIntent, ids: StripeIds) -> dict:
    obj = fresh("payment_intent")
    pid = ids.of("pi", pi.id)
    last = pi.charges[-1] if pi.charges else None
    error = None
    if pi.status == "requires_payment_method" and last is not None:
        error = {
            "type": "card_error",
            "code": last.failure_code,
            "message": last.failure_message,
            "charge": ids.of("ch", last.id),
        }
    obj.update(
        id=pid,
        amount=pi.amount,
        amount_capturable=pi.amount if pi.status == "requires_capture" else 0,
        amount_details={"tip": {}},
        amount_received=sum(c.amount_captured for c in pi.charges if c.status == "succeeded"),
        automatic_payment_methods=None,
        canceled_at=pi.canceled_at,
        cancellation_reason="requested_by_customer" if pi.status == "canceled" else None,
        capture_method=pi.capture_method,
        client_secret=f"{pid}_secret_{ids.of('sec', pi.id)[4:]}",
        created=pi.created,
        currency=pi.currency.lower(),
        customer=ids.of("cus", pi.customer.id),
        description=_pi_description(pi),
        last_payment_error=error,
        latest_charge=ids.of("ch", last.id) if last else None,
        next_action=None,
        payment_method=ids.of("pm", pi.customer.id),
        payment_method_configuration_details=None,
        payment_method_options={},
        payment_method_types=["sepa_debit"] if last and last.method == "sepa_debit" else ["card"],
        processing=None,
        setup_future_usage="off_session",
        shipping=None,
        status=pi.status,
        transfer_data=None,
        managed_payments=None,
    )
    return obj


def _sepa_details(ch: Charge, ids: StripeIds) -> dict:
    digest = ids.of("sepa", ch.customer.id)
    return {
        "sepa_debit": {
            "bank_code": "37040044",
            "branch_code": "",
            "country": ch.customer.country,
            "expected_debit_date": datetime.fromtimestamp(ch.created + 2 * DAY, UTC).strftime(
                "%Y-%m-%d"
            ),
            "fingerprint": digest[5:21],
            "last4": f"{int(ch.customer.id[1:]) * 31 % 10000:04d}",
            "mandate": ids.of("mandate", ch.customer.id),
        },
        "type": "sepa_debit",
    }


def charge_has_money(ch: Charge) -> bool:
    """Whether the charge moved money on the balance (a balance transaction exists)."""
    return ch.status == "succeeded" and ch.amount_captured > 0


def render_charge(ch: Charge, ids: StripeIds) -> dict:
    obj = fresh("charge")
    cid = ids.of("ch", ch.id)
    ok = ch.status != "failed"  # authorized (captured or not) or in flight
    cust = ch.customer
    card = ch.card
    billing = obj["billing_details"]
    billing.update(address=address(cust), email=cust.email, name=cust.name.strip())
    obj.update(
        id=cid,
        amount=ch.amount,
        amount_captured=ch.amount_captured,
        amount_refunded=ch.amount_refunded,
        balance_transaction=ids.of("txn", ch.id) if charge_has_money(ch) else None,
        calculated_statement_descriptor=DESCRIPTOR,
        captured=ch.captured and ok,
        created=ch.created,
        currency=ch.currency.lower(),
        customer=ids.of("cus", cust.id),
        description=_pi_description(ch.payment_intent),
        disputed=ch.dispute is not None,
        failure_code=ch.failure_code,
        failure_message=ch.failure_message,
        outcome={
            "advice_code": None if ok else "try_again_later",
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network" if ok else "declined_by_network",
            "reason": None if ok else ch.failure_code,
            "seller_message": "Payment complete."
            if ok
            else "The bank did not return any further details with this decline.",
            "type": "authorized" if ok else "issuer_declined",
        },
        paid=ch.status == "succeeded",
        payment_intent=ids.of("pi", ch.payment_intent.id),
        payment_method=ids.of("pm", cust.id),
        receipt_url=_receipt_url(ch, ids),
        refunded=ok and ch.amount_refunded == ch.amount,
        shipping=None,
        status=ch.status,
        transfer_data=None,
        source=None,
    )
    if ch.method == "sepa_debit":
        obj["payment_method_details"] = _sepa_details(ch, ids)
        obj["payment_method"] = ids.of("pm", f"sepa:{cust.id}")
        return obj
    details = obj["payment_method_details"]["card"]
    details.update(
        amount_authorized=ch.amount if ok else None,
        brand=card.brand,
        checks={
            "address_line1_check": None,
            "address_postal_code_check": "pass",
            "cvc_check": "pass",
        },
        country=card.country,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        fingerprint=card.fingerprint,
        funding=card.funding,
        installments=None,
        last4=card.last4,
        network=card.brand,
        three_d_secure=None,
        wallet=None,
        authorization_code=f"{int(ch.id[2:]) * 7919 % 1_000_000:06d}" if ok else None,
        regulated_status="unregulated",
        network_transaction_id=f"{int(ch.id[2:]) * 104729 % 10**15:015d}",
    )
    details["overcapture"]["maximum_amount_capturable"] = ch.amount
    if not ch.captured and ok:  # an authorization: Stripe holds it for seven days
        details["capture_before"] = ch.created + 7 * DAY
    return obj


def _receipt_url(ch: Charge, ids: StripeIds) -> str:
    """As long as Stripe's own (an opaque token of about 150 characters)."""
    digest = hashlib.blake2b(f"{ids.seed}:receipt:{ch.id}".encode(), digest_size=48).digest()
    token = base64.urlsafe_b64encode(digest * 2).decode()
    return f"https://pay.stripe.com/receipts/invoices/CAcaFwoVYWNjdF9MZWRnZXJkZXNr{token}?s=ap"


def refund_has_money(re: Refund) -> bool:
    """A canceled refund and the release of an authorization never moved money."""
    return not re.is_release and re.history[0][1] != "canceled" and re.status != "canceled"


def render_refund(re: Refund, ids: StripeIds) -> dict:
    obj = fresh("refund")
    charge = re.charge
    if re.status == "failed":
        obj["failure_reason"] = re.failure_reason
        obj["failure_balance_transaction"] = ids.of("txn", f"{re.id}-failure")
    if re.status == "pending":
        obj["pending_reason"] = "processing"
    obj.update(
        id=ids.of("re", re.id),
        amount=re.amount,
        balance_transaction=ids.of("txn", re.id) if refund_has_money(re) else None,
        charge=ids.of("ch", charge.id),
        created=re.created,
        currency=re.currency.lower(),
        destination_details={"card": {"type": "refund"}, "type": "card"},
        payment_intent=ids.of("pi", charge.payment_intent.id),
        reason=re.reason,
        status=re.status,
        customer=ids.of("cus", charge.customer.id),
        payment_method=ids.of("pm", charge.customer.id),
    )
    return obj


def render_dispute(du: Dispute, ids: StripeIds, transactions: list[dict]) -> dict:
    obj = fresh("dispute")
    charge = du.charge
    obj.update(
        id=ids.of("dp", du.id),
        amount=du.amount,
        balance_transactions=transactions,
        charge=ids.of("ch", charge.id),
        created=du.created,
        currency=du.currency.lower(),
        is_charge_refundable=False,
        payment_intent=ids.of("pi", charge.payment_intent.id),
        reason=du.reason,
        status=du.status,
        enhanced_eligibility_types=[],
    )
    submitted = du.status != "needs_response"
    obj["evidence_details"].update(
        due_by=du.evidence_due_by,
        has_evidence=submitted,
        past_due=False,
        submission_count=1 if submitted else 0,
    )
    obj["evidence"]["customer_email_address"] = charge.customer.email.strip().lower()
    obj["evidence"]["customer_name"] = charge.customer.name.strip()
    obj["payment_method_details"]["card"] = {
        "brand": charge.card.brand,
        "case_type": "chargeback",
        "network_reason_code": NETWORK_REASON.get(du.reason, "13.3"),
        "network": charge.card.brand,
    }
    return obj


def balance_transaction(
    ids: StripeIds, key: str, source: str, kind: str, category: str,
    amount: int, fee: int, currency: str, created: int, description: str,
) -> dict:  # fmt: skip
    obj = fresh("balance_transaction")
    available_on = created + 2 * DAY
    obj.update(
        id=ids.of("txn", key),
        amount=amount,
        available_on=available_on,
        created=created,
        currency=currency.lower(),
        description=description,
        fee=fee,
        fee_details=[
            {
                "amount": fee,
                "application": None,
                "currency": currency.lower(),
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        ]
        if fee
        else [],
        net=amount - fee,
        reporting_category=category,
        source=source,
        status="available" if available_on <= HISTORY_END else "pending",
        type=kind,
    )
    return obj
