"""Every Stripe entity Ledgerdesk reads, written down once: list path, ids, events, money.

Reading (list paths, extra parameters, event types) and validation (object type, id prefixes,
money fields) both come from this table, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StripeEntity:
    name: str  # warehouse table name, Stripe's own plural
    path: str  # list endpoint
    object: str  # the `object` field of each item
    id_prefixes: tuple[str, ...]
    event_types: tuple[str, ...]  # events whose data.object is this entity (types[] <= 20)
    money: tuple[str, ...] = ()  # integer minor units when present (older versions lack some)
    nullable_money: tuple[str, ...] = ()  # integer minor units or null
    currency: str = "required"  # "required", "nullable" or "none"
    list_params: tuple[tuple[str, str], ...] = ()


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
        ),
        StripeEntity(
            "refunds",
            "/v1/refunds",
            "refund",
            ("re_", "pyr_"),
            ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated"),
            money=("amount",),
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
        ),
        StripeEntity(
            "balance_transactions",
            "/v1/balance_transactions",
            "balance_transaction",
            ("txn_",),
            (),  # immutable once created: the created window is enough
            money=("amount", "fee", "net"),
        ),
        StripeEntity(
            "tax_rates",
            "/v1/tax_rates",
            "tax_rate",
            ("txr_",),
            ("tax_rate.created", "tax_rate.updated"),
            currency="none",
        ),
    )
}

EVENTS_PATH = "/v1/events"
