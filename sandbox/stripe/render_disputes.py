"""Disputes as Stripe objects, as they stand at the end of the history."""

from __future__ import annotations

from sandbox.business.model import Dispute
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_shapes import fresh

NETWORK_REASON = {
    "fraudulent": "10.4",
    "product_not_received": "13.1",
    "subscription_canceled": "13.2",
    "general": "13.3",
}
DISPUTE_STATUS = {"needs_response": "needs_response", "under_review": "under_review"}


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
