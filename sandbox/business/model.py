"""The gateway-neutral billing history of one company: plain dataclasses, money in int minor units.

Ids here are neutral sequence numbers (`"c17"`, `"ch204"`); each gateway renderer maps them to its
own id scheme. Times are Unix seconds (UTC). Currencies are upper case ISO 4217.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.business.model_invoices import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    LineTax,
)
from sandbox.business.model_payments import Charge, Dispute, PaymentIntent, Refund

__all__ = [
    "AddOn",
    "Business",
    "Card",
    "Charge",
    "Coupon",
    "CreditNote",
    "CreditNoteLine",
    "Customer",
    "Dispute",
    "Invoice",
    "InvoiceLine",
    "ItemPhase",
    "LineTax",
    "PaymentIntent",
    "Plan",
    "Refund",
    "StatusSpan",
    "Subscription",
    "TaxRate",
]


@dataclass(slots=True)
class Card:
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    funding: str
    country: str
    fingerprint: str


@dataclass(slots=True)
class Plan:
    id: str
    product: str  # tier name: starter / pro / business
    interval: str  # "month" or "year"
    currency: str
    unit_amount: int
    created: int


@dataclass(slots=True)
class Coupon:
    id: str
    name: str
    duration: str  # once / repeating / forever
    duration_in_months: int | None
    percent_off: int | None = None
    amount_off: int | None = None
    currency: str | None = None  # only for amount_off coupons
    created: int = 0


@dataclass(slots=True)
class TaxRate:
    id: str
    country: str
    state: str | None
    percentage: str  # exact decimal as text: "25.5"
    display_name: str  # VAT / GST / Sales Tax
    tax_type: str  # vat / gst / sales_tax
    reverse_charge: bool
    created: int


@dataclass(slots=True)
class Customer:
    id: str
    person_id: int
    email: str
    name: str
    country: str
    state: str | None
    city: str
    postal_code: str
    currency: str
    is_business: bool
    tax_id_type: str | None
    tax_id: str | None
    created: int
    card: Card
    balance: int = 0  # customer credit balance; negative = credit owed to the customer
    deleted_at: int | None = None  # only customers that never had a billing event
    # Where the customer pays: every object it owns is served by this (gateway, account).
    gateway: str = "stripe"
    account: str = "sandbox"
    # The company's own user id, as a gateway carries it (Stripe metadata, a Braintree custom
    # field, PayPal custom_id); the same for every customer of one person, or None.
    external_id: str | None = None
    # Generator truth, never rendered: for a person's second (third) customer, the identifier
    # it shares with the person's first one ("email" / "external_id" / "tax_id").
    matched_by: str | None = None


@dataclass(slots=True)
class ItemPhase:
    """One stretch of time during which a subscription item had this plan and quantity."""

    start: int
    end: int | None  # exclusive; None = still so at the end of history
    plan: Plan
    quantity: int


@dataclass(slots=True)
class AddOn:
    """A second (third, ...) item of a subscription: a monthly workspace add-on."""

    item_id: str
    phase: ItemPhase


@dataclass(slots=True)
class StatusSpan:
    start: int
    end: int | None  # exclusive
    status: str  # trialing / active / past_due / canceled


@dataclass(slots=True)
class Subscription:
    id: str
    item_id: str
    customer: Customer
    created: int
    trial_start: int | None = None
    trial_end: int | None = None
    phases: list[ItemPhase] = field(default_factory=list)
    statuses: list[StatusSpan] = field(default_factory=list)
    current_period_start: int = 0
    current_period_end: int = 0
    cancel_at_period_end: bool = False
    cancel_at: int | None = None
    canceled_at: int | None = None
    ended_at: int | None = None
    cancellation_reason: str | None = None  # cancellation_requested / payment_failed
    coupon: Coupon | None = None
    discount_start: int | None = None
    discount_end: int | None = None  # None = forever
    latest_invoice: str | None = None
    is_reactivation: bool = False
    addons: list[AddOn] = field(default_factory=list)  # from its start to its end

    @property
    def status(self) -> str:
        return self.statuses[-1].status

    def status_at(self, t: int) -> str | None:
        for span in self.statuses:
            if span.start <= t and (span.end is None or t < span.end):
                return span.status
        return None

    def phase_at(self, t: int) -> ItemPhase | None:
        for phase in self.phases:
            if phase.start <= t and (phase.end is None or t < phase.end):
                return phase
        return None

    def items_at(self, t: int) -> list[ItemPhase]:
        """The main item's phase and every add-on's, as they were at t."""
        found = [self.phase_at(t), *(a.phase for a in self.addons)]
        return [p for p in found if p and p.start <= t and (p.end is None or t < p.end)]


@dataclass(slots=True)
class Business:
    seed: int
    scale: float
    history_start: int
    history_end: int
    plans: list[Plan]
    coupons: list[Coupon]
    tax_rates: list[TaxRate]
    customers: list[Customer]
    subscriptions: list[Subscription]
    invoices: list[Invoice]
    payment_intents: list[PaymentIntent]
    charges: list[Charge]
    refunds: list[Refund]
    disputes: list[Dispute]
    credit_notes: list[CreditNote] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
