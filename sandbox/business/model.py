"""The gateway-neutral billing history of one company: plain dataclasses, money in int minor units.

Ids here are neutral sequence numbers (`"c17"`, `"ch204"`); each gateway renderer maps them to its
own id scheme. Times are Unix seconds (UTC). Currencies are upper case ISO 4217.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(slots=True)
class ItemPhase:
    """One stretch of time during which a subscription item had this plan and quantity."""

    start: int
    end: int | None  # exclusive; None = still so at the end of history
    plan: Plan
    quantity: int


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


@dataclass(slots=True)
class LineTax:
    tax_rate: TaxRate
    taxable_amount: int
    amount: int
    taxability_reason: str  # standard_rated / reverse_charge


@dataclass(slots=True)
class InvoiceLine:
    id: str
    kind: str  # subscription / proration / one_off
    description: str
    amount: int  # before discount, tax exclusive
    quantity: int
    plan: Plan | None
    period_start: int
    period_end: int
    discount_amount: int = 0
    tax: LineTax | None = None


@dataclass(slots=True)
class Invoice:
    id: str
    number: str
    customer: Customer
    subscription: Subscription | None
    billing_reason: str  # subscription_create / subscription_cycle / subscription_update / manual
    created: int
    currency: str
    period_start: int
    period_end: int
    lines: list[InvoiceLine]
    coupon: Coupon | None
    subtotal: int
    discount_amount: int
    tax_amount: int
    total: int
    status: str = "draft"  # paid / open / uncollectible
    starting_balance: int = 0  # the customer's balance applied (negative = credit)
    ending_balance: int = 0
    amount_due: int = 0  # max(0, total + starting_balance): what the card is charged
    amount_paid: int = 0
    attempt_count: int = 0
    paid_at: int | None = None
    payment_intent: PaymentIntent | None = None
    next_payment_attempt: int | None = None


@dataclass(slots=True)
class PaymentIntent:
    id: str
    customer: Customer
    invoice: Invoice | None
    amount: int
    currency: str
    created: int
    status: str  # succeeded / requires_payment_method
    charges: list[Charge] = field(default_factory=list)


@dataclass(slots=True)
class Charge:
    id: str
    payment_intent: PaymentIntent
    customer: Customer
    amount: int
    currency: str
    created: int
    status: str  # succeeded / failed
    card: Card
    fee: int = 0
    failure_code: str | None = None
    failure_message: str | None = None
    amount_refunded: int = 0
    refunds: list[Refund] = field(default_factory=list)
    dispute: Dispute | None = None

    @property
    def amount_captured(self) -> int:
        return self.amount if self.status == "succeeded" else 0


@dataclass(slots=True)
class Refund:
    id: str
    charge: Charge
    amount: int
    currency: str
    created: int
    reason: str | None
    status: str = "succeeded"


@dataclass(slots=True)
class Dispute:
    id: str
    charge: Charge
    amount: int
    currency: str
    created: int
    reason: str
    status: str  # won / lost / needs_response / under_review
    evidence_due_by: int
    closed_at: int | None = None  # when won/lost was decided


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
    totals: dict = field(default_factory=dict)
