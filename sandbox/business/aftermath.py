"""What happens to a payment after it was captured: refunds (full and partial) and disputes.

Refunds do not all succeed: some stay pending at the end of the history, some fail (the
charge's amount_refunded goes back down, as Stripe gives the amount back), one in a few
fails days after it had succeeded, and some are canceled before they were processed.
Disputes close 20 to 60 days after they open, won or lost; the younger ones are still open.
Each case has a quota (the newest refunds, a dispute closing inside the events window), so
the smallest history has every one of them.
"""

from __future__ import annotations

import random

from sandbox.business.clock import DAY, EVENTS_SINCE, HISTORY_END
from sandbox.business.model import Charge, Dispute, Refund
from sandbox.business.plans import whole_unit

REFUND_RATE = 0.03
DISPUTE_RATE = 0.006
RECENT = 21 * DAY  # disputes younger than this at history end are still open
DISPUTE_REASONS = ("fraudulent", "product_not_received", "subscription_canceled", "general")
REFUND_REASONS = ("requested_by_customer", "duplicate", None)
REFUND_FAILURES = ("expired_or_canceled_card", "lost_or_stolen_card", "declined", "unknown")
FORCED_FATES = ("pending", "failed_after_success", "canceled", "failed")
# (share, final status, how it got there) for refunds that are not the forced newest ones.
REFUND_FATES = (
    (0.84, "succeeded"),
    (0.05, "failed"),  # pending, then failed
    (0.04, "failed_after_success"),
    (0.03, "canceled"),
    (0.04, "pending_long"),  # pending a few days, then succeeded
)


def add_aftermath(
    rng: random.Random, charges: list[Charge], next_id
) -> tuple[list[Refund], list[Dispute]]:
    refunds: list[Refund] = []
    disputes: list[Dispute] = []
    open_statuses = ("needs_response", "under_review")
    for charge in charges:
        if charge.status != "succeeded" or charge.amount_captured == 0:
            continue
        roll = rng.random()
        if roll < DISPUTE_RATE:
            created = charge.created + rng.randint(7 * DAY, 75 * DAY)
            if created > HISTORY_END:
                continue
            closed_at = created + rng.randint(20 * DAY, 60 * DAY)
            if created > HISTORY_END - RECENT or closed_at > HISTORY_END:
                status, closed_at = open_statuses[len(disputes) % 2], None
            else:
                status = "won" if rng.random() < 0.45 else "lost"
            disputes.append(_dispute(rng, next_id, charge, created, status, closed_at))
        elif roll < DISPUTE_RATE + REFUND_RATE:
            created = charge.created + rng.randint(3600, 30 * DAY)
            if created > HISTORY_END:
                continue
            unit = whole_unit(charge.currency)  # a partial ISK refund in whole kronur
            if rng.random() < 0.55 or charge.amount < 2 * unit:
                amount = charge.amount
            else:
                amount = max(unit, charge.amount * rng.randint(10, 90) // 100 // unit * unit)
            refund = Refund(
                next_id("re"), charge, amount, charge.currency, created, rng.choice(REFUND_REASONS)
            )
            charge.refunds.append(refund)
            refunds.append(refund)
    for group in _by_account(charges):
        refunds += _refund_quota(rng, group, next_id)
    _refund_fates(rng, refunds)
    for refund in refunds:
        charge = refund.charge
        charge.amount_refunded = sum(r.amount for r in charge.refunds if r.counts_toward_refunded)
    for group in _by_account(charges):
        mine = {id(c) for c in group}
        theirs = [d for d in disputes if id(d.charge) in mine]
        disputes += _closing_quota(rng, group, theirs, next_id)
    return refunds, disputes


def _refund_quota(rng: random.Random, charges: list[Charge], next_id) -> list[Refund]:
    """Recent refunds enough for each forced fate (four) on one account's charges."""
    need = len(FORCED_FATES) - sum(len(c.refunds) for c in charges)
    pool = [
        c for c in charges
        if c.status == "succeeded" and c.amount_captured and not c.refunds and c.dispute is None
        and HISTORY_END - 60 * DAY < c.created < HISTORY_END - 2 * DAY
    ]  # fmt: skip
    added = []
    for charge in rng.sample(pool, min(max(0, need), len(pool))):
        created = charge.created + rng.randint(3600, min(30 * DAY, HISTORY_END - charge.created))
        refund = Refund(next_id("re"), charge, charge.amount, charge.currency, created, None)
        charge.refunds.append(refund)
        added.append(refund)
    return added


def _by_account(items: list) -> list[list]:
    """Refunds or charges grouped by their customer's (gateway, account), in a stable order."""
    groups: dict[tuple[str, str], list] = {}
    for item in items:
        customer = (item.charge if isinstance(item, Refund) else item).customer
        groups.setdefault((customer.gateway, customer.account), []).append(item)
    return [groups[key] for key in sorted(groups)]


def _dispute(rng, next_id, charge: Charge, created: int, status: str, closed_at) -> Dispute:
    dispute = Dispute(
        next_id("du"), charge, charge.amount, charge.currency, created,
        rng.choice(DISPUTE_REASONS), status, created + RECENT, closed_at,
    )  # fmt: skip
    charge.dispute = dispute
    return dispute


def _refund_fates(rng: random.Random, refunds: list[Refund]) -> None:
    """The newest four refunds of each account are, in turn: pending, failed after success
    (inside the events window), canceled, failed; the others draw their fate from REFUND_FATES."""
    fates = FORCED_FATES
    forced = {}
    for group in _by_account(refunds):  # every account's share has each fate
        newest = sorted(group, key=lambda r: (r.created, r.id), reverse=True)
        forced.update({r.id: fate for r, fate in zip(newest, fates, strict=False)})
    shares = [share for share, _ in REFUND_FATES]
    for refund in refunds:
        fate = forced.get(refund.id) or rng.choices(REFUND_FATES, weights=shares)[0][1]
        t0, later = refund.created, refund.created + rng.randint(DAY, 6 * DAY)
        if fate == "pending" or (fate == "pending_long" and later > HISTORY_END):
            history = [(t0, "pending")]
        elif fate == "pending_long":
            history = [(t0, "pending"), (later, "succeeded")]
        elif fate in ("failed", "failed_after_success") and later <= HISTORY_END:
            first = "pending" if fate == "failed" else "succeeded"
            history = [(t0, first), (later, "failed")]
            refund.failure_reason = rng.choice(REFUND_FAILURES)
        elif fate == "canceled":
            history = [(t0, "pending"), (min(t0 + rng.randint(600, DAY), HISTORY_END), "canceled")]
        elif fate == "failed_after_success":  # too recent to have failed yet: make it fail now
            history = [(t0, "succeeded"), (HISTORY_END, "failed")]
            refund.failure_reason = rng.choice(REFUND_FAILURES)
        else:
            history = [(t0, "succeeded")]
        refund.history = history
        refund.status = history[-1][1]


def _closing_quota(rng: random.Random, charges: list[Charge], disputes: list, next_id) -> list:
    """At least one won and one lost dispute that opened before the events window and closed
    inside it (another month), one lost that closed before it (its closing is unseen), and one
    opened inside it (still open)."""

    def closes_in_window(status: str) -> bool:
        return any(
            d.status == status and d.closed_at and d.closed_at >= EVENTS_SINCE > d.created
            for d in disputes
        )

    needs = [s for s in ("won", "lost") if not closes_in_window(s)]
    if not any(d.status == "lost" and d.closed_at and d.closed_at < EVENTS_SINCE for d in disputes):
        needs.append("lost_early")
    if not any(d.created >= EVENTS_SINCE for d in disputes):
        needs.append("opened_in_window")
    added: list[Dispute] = []
    if not needs:
        return added
    free = [
        c
        for c in charges
        if c.status == "succeeded" and c.amount_captured and not c.refunds and c.dispute is None
    ]
    for need in needs:
        if need == "lost_early":
            pool = [c for c in free if c.created < EVENTS_SINCE - 120 * DAY]
            if not pool:
                continue
            charge = rng.choice(pool)
            created = charge.created + rng.randint(7 * DAY, 30 * DAY)
            closed = created + rng.randint(20 * DAY, 60 * DAY)
            status = "lost"
        elif need == "opened_in_window":
            lo, hi = EVENTS_SINCE - 60 * DAY, EVENTS_SINCE - 10 * DAY
            pool = [c for c in free if lo < c.created < hi]
            if not pool:
                continue
            charge = rng.choice(pool)
            created, closed = EVENTS_SINCE + rng.randint(DAY, 20 * DAY), None
            status = "needs_response"
        else:
            lo, hi = EVENTS_SINCE - 90 * DAY, EVENTS_SINCE - 40 * DAY
            pool = [c for c in free if lo < c.created < hi]
            if not pool:
                continue
            charge = rng.choice(pool)
            created = EVENTS_SINCE - rng.randint(10 * DAY, 25 * DAY)
            # weeks after it opened (20 days at least), inside the window
            closed = max(EVENTS_SINCE + DAY, created + 20 * DAY) + rng.randint(0, 10 * DAY)
            status = need
        free.remove(charge)
        added.append(_dispute(rng, next_id, charge, created, status, closed))
        disputes.append(added[-1])
    return added
