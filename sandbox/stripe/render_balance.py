"""Balance transactions as Stripe objects: the money a charge, refund or dispute moved."""

from __future__ import annotations

from sandbox.business.clock import DAY, HISTORY_END
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_shapes import fresh


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
