"""Every Stripe entity Ledgerdesk reads, written down once: list path, ids, events, money.

Reading (list paths, extra parameters, embedded lists, event types) and validation (object
type, id prefixes, money fields) both come from this table, so the two can never disagree.
Each entity also says how a change to an object already landed reaches the warehouse
(`changes`): Stripe objects are not immutable, and the reason is written here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateways.base import EVENTS, IMMUTABLE, OPEN_ROWS, EntitySpec, Envelope
from gateways.stripe.validate import problem_with

__all__ = ["ENTITIES", "EVENTS", "EVENTS_PATH", "IMMUTABLE", "OPEN_ROWS", "StripeEntity"]


@dataclass(frozen=True)
class EmbeddedList:
    """A list embedded in each object (`lines`, `items`) that Stripe cuts at 10 with has_more;
    the rest is read from `path` (`{id}` is the parent's id) and `parent_param=<id>`."""

    field: str
    path: str
    parent_param: str | None = None


@dataclass(frozen=True, kw_only=True)
class StripeEntity(EntitySpec):
    """A Stripe entity on the seam: listed newest first by `created` (the EntitySpec
    defaults), validated by `validate.problem_with`, its changes named by events."""

    changes: str = EVENTS  # EVENTS, OPEN_ROWS or IMMUTABLE
    why: str = ""  # why `changes` is enough for this entity
    path: str  # list endpoint; `path/<id>` retrieves one object
    object: str  # the `object` field of each item
    id_prefixes: tuple[str, ...]
    event_types: tuple[str, ...]  # events that name this entity's objects (types[] <= 20)
    money: tuple[str, ...] = ()  # integer minor units when present (older versions lack some)
    nullable_money: tuple[str, ...] = ()  # integer minor units or null
    currency: str = "required"  # "required", "nullable" or "none"
    list_params: tuple[tuple[str, str], ...] = ()
    embedded: tuple[EmbeddedList, ...] = ()

    @property
    def uses_change_feed(self) -> bool:
        return bool(self.event_types)

    def problem(self, obj: Any) -> str | None:
        return problem_with(self, obj)

    def envelope(self, obj: dict[str, Any]) -> Envelope:
        return Envelope(obj["id"], obj["created"], None, obj)

    def tombstone(self, object_id: str) -> dict[str, Any]:
        return {"id": object_id, "object": self.object, "deleted": True}


ENTITIES: dict[str, StripeEntity] = {
    e.name: e
    for e in (
        StripeEntity(
            name="customers",
            path="/v1/customers",
            object="customer",
            id_prefixes=("cus_",),
            event_types=("customer.created", "customer.updated", "customer.deleted"),
            money=("balance",),
            currency="nullable",
            why="updated and deleted by customer.* events",
        ),
        StripeEntity(
            name="charges",
            path="/v1/charges",
            object="charge",
            id_prefixes=("ch_", "py_"),
            event_types=(
                "charge.succeeded",
                "charge.failed",
                "charge.pending",
                "charge.captured",
                "charge.expired",
                "charge.refunded",
                "charge.updated",
            ),
            money=("amount", "amount_captured", "amount_refunded"),
            why="captured, refunded and disputed long after creation: charge.* events",
        ),
        StripeEntity(
            name="payment_intents",
            path="/v1/payment_intents",
            object="payment_intent",
            id_prefixes=("pi_",),
            event_types=(
                "payment_intent.created",
                "payment_intent.succeeded",
                "payment_intent.payment_failed",
                "payment_intent.canceled",
                "payment_intent.processing",
                "payment_intent.requires_action",
                "payment_intent.amount_capturable_updated",
                "payment_intent.partially_funded",
            ),
            money=("amount", "amount_capturable", "amount_received"),
            why="succeeds, fails or is canceled after creation: payment_intent.* events",
        ),
        StripeEntity(
            name="refunds",
            path="/v1/refunds",
            object="refund",
            id_prefixes=("re_", "pyr_"),
            event_types=(
                "refund.created",
                "refund.updated",
                "refund.failed",
                "charge.refund.updated",
            ),
            money=("amount",),
            why="pending -> succeeded or failed days later: refund.* events",
        ),
        StripeEntity(
            name="disputes",
            path="/v1/disputes",
            object="dispute",
            id_prefixes=("dp_", "du_"),
            event_types=(
                "charge.dispute.created",
                "charge.dispute.updated",
                "charge.dispute.closed",
                "charge.dispute.funds_reinstated",
                "charge.dispute.funds_withdrawn",
            ),
            money=("amount",),
            why="evidence, won or lost weeks later: charge.dispute.* events",
        ),
        StripeEntity(
            name="subscriptions",
            path="/v1/subscriptions",
            object="subscription",
            id_prefixes=("sub_",),
            event_types=(
                "customer.subscription.created",
                "customer.subscription.updated",
                "customer.subscription.deleted",
                "customer.subscription.paused",
                "customer.subscription.resumed",
                "customer.subscription.trial_will_end",
                "customer.subscription.pending_update_applied",
                "customer.subscription.pending_update_expired",
            ),
            list_params=(("status", "all"),),  # else Stripe leaves out canceled ones
            embedded=(EmbeddedList("items", "/v1/subscription_items", "subscription"),),
            why="renewed, changed and canceled over months: customer.subscription.* events",
        ),
        StripeEntity(
            name="invoices",
            path="/v1/invoices",
            object="invoice",
            id_prefixes=("in_",),
            event_types=(
                "invoice.created",
                "invoice.updated",
                "invoice.finalized",
                "invoice.paid",
                "invoice.payment_succeeded",
                "invoice.payment_failed",
                "invoice.voided",
                "invoice.marked_uncollectible",
                "invoice.deleted",
                "invoice.sent",
                "invoice.overdue",
                "invoice.finalization_failed",
                "invoice.overpaid",
                "invoice.will_be_due",
            ),
            money=("amount_due", "amount_paid", "amount_remaining", "subtotal", "total"),
            nullable_money=("starting_balance", "ending_balance"),
            embedded=(EmbeddedList("lines", "/v1/invoices/{id}/lines"),),
            why="finalized, paid, voided or deleted (drafts) later: invoice.* events",
        ),
        StripeEntity(
            name="invoice_payments",
            path="/v1/invoice_payments",
            object="invoice_payment",
            id_prefixes=("inpay_",),
            event_types=("invoice_payment.paid",),
            money=("amount_requested",),
            nullable_money=("amount_paid",),
            # open -> paid has its event; open -> canceled has none: rows still open are
            # listed again until they are paid or canceled.
            reopen_while=("status", ("open",)),
            why="open -> paid (invoice_payment.paid events) or canceled (open rows re-listed)",
        ),
        StripeEntity(
            name="credit_notes",
            path="/v1/credit_notes",
            object="credit_note",
            id_prefixes=("cn_",),
            event_types=("credit_note.created", "credit_note.updated", "credit_note.voided"),
            money=(
                "amount",
                "amount_shipping",
                "discount_amount",
                "subtotal",
                "total",
                "pre_payment_amount",
                "post_payment_amount",
            ),
            nullable_money=("out_of_band_amount", "subtotal_excluding_tax", "total_excluding_tax"),
            embedded=(EmbeddedList("lines", "/v1/credit_notes/{id}/lines"),),
            why="voided or its memo changed later: credit_note.* events",
        ),
        StripeEntity(
            name="balance_transactions",
            path="/v1/balance_transactions",
            object="balance_transaction",
            id_prefixes=("txn_",),
            event_types=(),  # Stripe sends no event per balance transaction
            money=("amount", "fee", "net"),
            changes=OPEN_ROWS,
            reopen_while=("status", ("pending",)),
            why=(
                "NOT immutable: pending -> available on `available_on` (days, sometimes weeks, "
                "later) and no event names it; every listing reaches back to the oldest row "
                "still pending, so it is read again until it is available"
            ),
        ),
        StripeEntity(
            name="tax_rates",
            path="/v1/tax_rates",
            object="tax_rate",
            id_prefixes=("txr_",),
            event_types=("tax_rate.created", "tax_rate.updated"),
            currency="none",
            why="deactivated or renamed later: tax_rate.updated events",
        ),
        StripeEntity(
            name="events",
            path="/v1/events",
            object="event",
            id_prefixes=("evt_",),
            event_types=(),  # the feed itself, every type
            currency="none",
            changes=IMMUTABLE,
            why=(
                "an event never changes once created; it may become visible late, so each "
                "listing reaches back an overlap before the newest event landed"
            ),
            overlap_seconds=10 * 60,
            # Stripe keeps 30 days of events: a full listing must not remove older ones,
            # which are the audit trail (and the only record of when a dispute closed).
            prune_unlisted=False,
        ),
    )
}

EVENTS_PATH = "/v1/events"
