"""What happens to a payment after it succeeded: refunds (full and partial) and disputes."""

from __future__ import annotations

import random

from sandbox.business.clock import DAY, HISTORY_END
from sandbox.business.model import Charge, Dispute, Refund

REFUND_RATE = 0.03
DISPUTE_RATE = 0.006
RECENT = 21 * DAY  # disputes younger than this at history end are still open
DISPUTE_REASONS = ("fraudulent", "product_not_received", "subscription_canceled", "general")
REFUND_REASONS = ("requested_by_customer", "duplicate", None)


def add_aftermath(
    rng: random.Random, charges: list[Charge], next_id
) -> tuple[list[Refund], list[Dispute]]:
    refunds: list[Refund] = []
    disputes: list[Dispute] = []
    open_statuses = ("needs_response", "under_review")
    for charge in charges:
        if charge.status != "succeeded":
            continue
        roll = rng.random()
        if roll < DISPUTE_RATE:
            created = charge.created + rng.randint(7 * DAY, 75 * DAY)
            if created > HISTORY_END:
                continue
            reason = rng.choice(DISPUTE_REASONS)
            closed_at = created + rng.randint(20 * DAY, 60 * DAY)
            if created > HISTORY_END - RECENT or closed_at > HISTORY_END:
                status, closed_at = open_statuses[len(disputes) % 2], None
            else:
                status = "won" if rng.random() < 0.45 else "lost"
            dispute = Dispute(
                next_id("du"), charge, charge.amount, charge.currency, created, reason, status,
                created + RECENT, closed_at,
            )  # fmt: skip
            charge.dispute = dispute
            disputes.append(dispute)
        elif roll < DISPUTE_RATE + REFUND_RATE:
            created = charge.created + rng.randint(3600, 30 * DAY)
            if created > HISTORY_END:
                continue
            if rng.random() < 0.55 or charge.amount < 2:
                amount = charge.amount
            else:
                amount = max(1, charge.amount * rng.randint(10, 90) // 100)
            refund = Refund(
                next_id("re"), charge, amount, charge.currency, created, rng.choice(REFUND_REASONS)
            )
            charge.refunds.append(refund)
            charge.amount_refunded += amount
            refunds.append(refund)
    return refunds, disputes
