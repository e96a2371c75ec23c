"""The business's own figures, computed from the neutral model (never from a rendering).

All money is int minor units; keys use 'YYYY-MM' months (UTC) and upper-case currencies.

- payments[(month, currency)] = {"amount", "count"}: gross: amount_captured of charges whose
  status is `succeeded`, by the month the charge was created. Pending charges (a bank debit in
  flight: amount_captured = amount) do not count; an authorization never captured (captured
  false, amount_captured 0, released or not) adds nothing and is not counted either.
- refunds[(month, currency)] = {"amount", "count"}: refunds whose status is `succeeded`, by
  the refund's creation month. Pending, failed (also after having succeeded) and canceled ones
  do not count; neither does the refund Stripe records when an uncaptured authorization is
  released (its charge captured nothing: no revenue was ever booked).
- disputes_by_status[(status, currency)] = {"amount", "count"}: status is won / lost /
  needs_response / under_review.
- lost_disputes[(month, currency)] = {"amount", "count"}: lost disputes by the month they
  CLOSED, as the warehouse can observe it: closed_at is when the dispute closed if that is
  inside the 30-day events window (clock.EVENTS_SINCE on), where its `charge.dispute.closed`
  event is seen; a Stripe dispute that closed before the window has no observable closing and
  counts in the month it opened (`disputes_closed_at_estimated` counts those). Braintree and
  PayPal disputes carry their own closing time: always observed.
- lost_disputes_by_opening_month: the same disputes by the month they opened (the wrong rule,
  kept so that a test can tell the two apart).
- net_revenue[(month, currency)] = payments - refunds - lost disputes of that month.
- charges_by_status[(status, captured, currency)], refunds_by_status[(status, currency)]:
  {"amount", "count"} over every charge / refund (amount = the object's `amount`), releases
  of authorizations included (status succeeded).
- credit_notes[(month, currency)] = {"total", "tax", "count", "out_of_band"}: by creation.
- deleted = {"customers": n, "invoices": n}: objects deleted by the end of the history (the
  gateway no longer lists them; the rendering keeps them, flagged in `deleted`).
- cases: how many of each special case the history has (see `_cases`).
- tax[(country, rate, currency)] = {"tax", "taxable", "taxability_reason", "invoices"}: over
  invoices with status paid, summed over their lines; `rate` is the percentage as text ("25.5",
  "0" for reverse charge, its own row). Lines without any tax rate are not in this table.
- mrr[(month, currency)]: at the last second of each month, over subscriptions whose status is
  active or past_due then (not trialing, not canceled), the sum over items (add-ons too) of
  unit_amount * quantity; a yearly item counts round-half-even(unit_amount * quantity / 12).
  Before discounts and tax.
- counts[entity]: number of objects per entity that the gateway lists at the end (deleted
  customers and deleted draft invoices left out; invoice_lines of listed invoices), plus
  `persons`: distinct people (`person_id`) among listed customers. The generator knows who
  is who; people are linked by the email rule (NFC, trimmed of Unicode whitespace, lower
  case; an inner space makes another person), then by an external id, then by a VAT id.
- identity: rows (person_id, gateway, account, customer id, rule) for every listed customer,
  rule = email / external_id / tax_id / standalone (`identity.identity_rows`).
- by_account[(gateway, account)]: these same figures (less `by_account`) over that account's
  share alone (`shares.share`); a share has its one account there. Every table but `persons`
  and `identity` adds up over the accounts to the whole; a person on two gateways is a person
  in each share.
"""

from __future__ import annotations

from collections import defaultdict

from sandbox.business.clock import EVENTS_SINCE, month_key
from sandbox.business.identity import identity_rows
from sandbox.business.model import Business, Dispute
from sandbox.business.totals_billing import credit_note_totals, mrr_totals, tax_totals


def _bucket() -> defaultdict:
    return defaultdict(lambda: {"amount": 0, "count": 0})


def _add(table: defaultdict, key: tuple, amount: int) -> None:
    row = table[key]
    row["amount"] += amount
    row["count"] += 1


# Gateways whose dispute objects carry their own closing time (Braintree's status history,
# PayPal's update_time of a resolved dispute): the warehouse sees every closing. Stripe's
# dispute says when it closed only through its `charge.dispute.closed` event.
CLOSING_ON_THE_OBJECT = frozenset({"braintree", "paypal"})


def observed_closed_at(dispute: Dispute) -> int | None:
    """When the warehouse can know the dispute closed: on Stripe inside the events window
    (else None); on a gateway that records the closing on the dispute, always."""
    if dispute.closed_at is None:
        return None
    if dispute.charge.customer.gateway in CLOSING_ON_THE_OBJECT:
        return dispute.closed_at
    return dispute.closed_at if dispute.closed_at >= EVENTS_SINCE else None


def compute_totals(b: Business, by_account: bool = True) -> dict:
    payments, refunds, by_status, lost = _bucket(), _bucket(), _bucket(), _bucket()
    lost_opened, charges_by_status, refunds_by_status = _bucket(), _bucket(), _bucket()
    for charge in b.charges:
        _add(charges_by_status, (charge.status, charge.captured, charge.currency), charge.amount)
        if charge.status == "succeeded" and charge.amount_captured > 0:
            _add(payments, (month_key(charge.created), charge.currency), charge.amount_captured)
    for refund in b.refunds:
        _add(refunds_by_status, (refund.status, refund.currency), refund.amount)
        if refund.status == "succeeded" and refund.charge.amount_captured > 0:
            _add(refunds, (month_key(refund.created), refund.currency), refund.amount)
    estimated, estimated_by_month = 0, defaultdict(int)
    for dispute in b.disputes:
        _add(by_status, (dispute.status, dispute.currency), dispute.amount)
        if dispute.status == "lost":
            closed = observed_closed_at(dispute)
            estimated += closed is None
            booked = dispute.created if closed is None else closed
            if closed is None:
                estimated_by_month[(month_key(booked), dispute.currency)] += 1
            _add(lost, (month_key(booked), dispute.currency), dispute.amount)
            _add(lost_opened, (month_key(dispute.created), dispute.currency), dispute.amount)
    net: dict[tuple[str, str], int] = defaultdict(int)
    for key, row in payments.items():
        net[key] += row["amount"]
    for key, row in refunds.items():
        net[key] -= row["amount"]
    for key, row in lost.items():
        net[key] -= row["amount"]
    figures = {
        "payments": _plain(payments),
        "refunds": _plain(refunds),
        "disputes_by_status": _plain(by_status),
        "lost_disputes": _plain(lost),
        "lost_disputes_by_opening_month": _plain(lost_opened),
        "lost_disputes_estimated": dict(sorted(estimated_by_month.items())),
        "net_revenue": dict(sorted(net.items())),
        "tax": tax_totals(b),
        "mrr": mrr_totals(b),
        "counts": _counts(b),
        "charges_by_status": _plain(charges_by_status),
        "refunds_by_status": _plain(refunds_by_status),
        "credit_notes": credit_note_totals(b),
        "deleted": {
            "customers": sum(1 for c in b.customers if c.deleted_at is not None),
            "invoices": sum(1 for i in b.invoices if i.deleted_at is not None),
        },
        "cases": _cases(b, estimated),
        "identity": identity_rows(b),
    }
    if by_account:
        figures["by_account"] = _by_account(b, figures)
    return figures


def _by_account(b: Business, figures: dict) -> dict:
    from sandbox.business.shares import accounts_of, filtered

    keys = accounts_of(b)
    if len(keys) == 1:  # a share: its one account's figures are its own
        return {keys[0]: dict(figures)}
    return {key: compute_totals(filtered(b, *key), by_account=False) for key in keys}


def _cases(b: Business, estimated: int) -> dict[str, int]:
    """How many of each case the history holds (every one is at least 1 at any scale)."""
    charges = b.charges
    billed = {i.customer.id for i in b.invoices} | {c.customer.id for c in charges}
    return {
        "charges_pending": sum(1 for c in charges if c.status == "pending"),
        "authorizations_uncaptured": sum(
            1 for c in charges if not c.captured and c.released_at is None
        ),
        "authorizations_released": sum(1 for c in charges if c.released_at is not None),
        "authorizations_lapsed": sum(1 for c in charges if c.lapsed),
        "charges_captured_later": sum(1 for c in charges if c.captured_at is not None),
        "refunds_failed_after_success": sum(
            1 for r in b.refunds if [s for _, s in r.history][-2:] == ["succeeded", "failed"]
        ),
        "disputes_closed_in_events_window": sum(
            1 for d in b.disputes if observed_closed_at(d) is not None
        ),
        "disputes_closed_at_estimated": estimated,
        "payment_intents_paying_several_invoices": sum(
            1 for p in b.payment_intents if len(p.invoices) > 1
        ),
        "invoice_payments": sum(len(p.invoices) for p in b.payment_intents),
        "draft_invoices": sum(1 for i in b.invoices if i.status == "draft"),
        "credit_notes": len(b.credit_notes),
        "credit_note_lines": sum(len(n.lines) for n in b.credit_notes),
        "customers_without_billing": sum(
            1 for c in b.customers if c.id not in billed and c.deleted_at is None
        ),
    }


def _plain(table: defaultdict) -> dict:
    return {key: dict(row) for key, row in sorted(table.items())}


def _counts(b: Business) -> dict[str, int]:
    customers = [c for c in b.customers if c.deleted_at is None]
    invoices = [i for i in b.invoices if i.deleted_at is None]
    return {
        "customers": len(customers),
        "persons": len({c.person_id for c in customers}),
        "subscriptions": len(b.subscriptions),
        "invoices": len(invoices),
        "invoice_lines": sum(len(i.lines) for i in invoices),
        "payment_intents": len(b.payment_intents),
        "charges": len(b.charges),
        "refunds": len(b.refunds),
        "disputes": len(b.disputes),
    }
