"""Every Stripe entity Ledgerdesk reads, written down once: list path, ids, events, money.

Reading (list paths, extra parameters, embedded lists, event types) and validation (object
type, id prefixes, money fields) both come from this table, so the two can never disagree.
Each entity also says how a change to an object already landed reaches the warehouse
(`changes`): Stripe objects are not immutable, and the reason is written here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

# How later changes are caught (StripeEntity.changes says which, and why):
EVENTS = "events"  # the entity's events name the changed objects; they are re-read by id
OPEN_ROWS = "open_rows"  # no events: rows still open (reopen_while) are listed again
IMMUTABLE = "immutable"  # never changes once created: the created window is enough


@dataclass(frozen=True)
class EmbeddedList:
    """A list embedded in each object (`lines`, `items`) that Stripe cuts at 10 with has_more;
    the rest is read from `path` (`{id}` is the parent's id) and `parent_param=<id>`."""

    field: str
    path: str
    parent_param: str | None = None


@dataclass(frozen=True)
class StripeEntity:
    name: str  # warehouse table name, Stripe's own plural
    path: str  # list endpoint; `path/<id>` retrieves one object
    object: str  # the `object` field of each item
    id_prefixes: tuple[str, ...]
    event_types: tuple[str, ...]  # events that name this entity's objects (types[] <= 20)
    money: tuple[str, ...] = ()  # integer minor units when present (older versions lack some)
    nullable_money: tuple[str, ...] = ()  # integer minor units or null
    currency: str = "required"  # "required", "nullable" or "none"
    list_params: tuple[tuple[str, str], ...] = ()
    embedded: tuple[EmbeddedList, ...] = ()
    changes: str = EVENTS  # EVENTS, OPEN_ROWS or IMMUTABLE
    why: str = ""  # why `changes` is enough for this entity
    # (field, values) of a landed row that may still change unseen: listed again while so
    reopen_while: tuple[str, tuple[str, ...]] | None = None
    # listing overlap in seconds instead of the account's lookback_days (None: lookback)
    overlap_seconds: int | None = None
    # whether a full listing removes rows it did not see (False: the gateway forgets them)
    prune_unlisted: bool = True


ENTITIES: dict[str, StripeEntity] = {
    e.name: e
    for e in (
        StripeEntity(
            "customers",
            "/v1/customers",
            "customer",
            ("cus_",),
            ("customer.created", "customer.updated", "customer.deleted"),
            money=("balance",),
            currency="nullable",
            why="updated and deleted by customer.* events",
        ),
        StripeEntity(
            "charges",
            "/v1/charges",
            "charge",
            ("ch_", "py_"),
            (
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
            "payment_intents",
            "/v1/payment_intents",
            "payment_intent",
            ("pi_",),
            (
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
            "refunds",
            "/v1/refunds",
            "refund",
            ("re_", "pyr_"),
            ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated"),
            money=("amount",),
            why="pending -> succeeded or failed days later: refund.* events",
        ),
        StripeEntity(
            "disputes",
            "/v1/disputes",
            "dispute",
            ("dp_", "du_"),
            (
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
            "subscriptions",
            "/v1/subscriptions",
            "subscription",
            ("sub_",),
            (
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
            "invoices",
            "/v1/invoices",
            "invoice",
            ("in_",),
            (
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
            "invoice_payments",
            "/v1/invoice_payments",
            "invoice_payment",
            ("inpay_",),
            ("invoice_payment.paid",),
            money=("amount_requested",),
            nullable_money=("amount_paid",),
            # open -> paid has its event; open -> canceled has none: rows still open are
            # listed again until they are paid or canceled.
            reopen_while=("status", ("open",)),
            why="open -> paid (invoice_payment.paid events) or canceled (open rows re-listed)",
        ),
        StripeEntity(
            "credit_notes",
            "/v1/credit_notes",
            "credit_note",
            ("cn_",),
            ("credit_note.created", "credit_note.updated", "credit_note.voided"),
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
            "balance_transactions",
            "/v1/balance_transactions",
            "balance_transaction",
            ("txn_",),
            (),  # Stripe sends no event per balance transaction
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
            "tax_rates",
            "/v1/tax_rates",
            "tax_rate",
            ("txr_",),
            ("tax_rate.created", "tax_rate.updated"),
            currency="none",
            why="deactivated or renamed later: tax_rate.updated events",
        ),
        StripeEntity(
            "events",
            "/v1/events",
            "event",
            ("evt_",),
            (),  # the feed itself, every type
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
