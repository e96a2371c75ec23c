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
    item_id: str | None = None  # the subscription item, when not the main one (an add-on)


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
    deleted_at: int | None = None  # only drafts can be deleted
    credit_notes: list[CreditNote] = field(default_factory=list)


@dataclass(slots=True)
class PaymentIntent:
    id: str
    customer: Customer
    invoice: Invoice | None
    amount: int
    currency: str
    created: int
    status: str  # succeeded / requires_payment_method / processing / requires_capture / canceled
    charges: list[Charge] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)  # several when one payment pays many
    capture_method: str = "automatic"  # manual: authorized first, captured (or released) later
    canceled_at: int | None = None
    description: str | None = None  # for payments outside invoices


@dataclass(slots=True)
class Charge:
    id: str
    payment_intent: PaymentIntent
    customer: Customer
    amount: int
    currency: str
    created: int
    status: str  # succeeded / failed / pending
    card: Card
    fee: int = 0
    failure_code: str | None = None
    failure_message: str | None = None
    amount_refunded: int = 0  # succeeded and pending refunds (a failed one gives it back)
    refunds: list[Refund] = field(default_factory=list)
    dispute: Dispute | None = None
    method: str = "card"  # card / sepa_debit (a bank debit stays pending for days)
    captured: bool = True  # False: an authorization not (yet) captured, or released
    captured_at: int | None = None  # set when captured after its creation (charge.captured)
    released_at: int | None = None  # an uncaptured authorization released (refunded)
    lapsed: bool = False  # released by its expiry, not the merchant (Braintree: expired)

    @property
    def amount_captured(self) -> int:
        """As Stripe: the amount of a captured charge, pending ones included; 0 otherwise."""
        return self.amount if self.captured and self.status != "failed" else 0


@dataclass(slots=True)
class Refund:
    id: str
    charge: Charge
    amount: int
    currency: str
    created: int
    reason: str | None
    status: str = "succeeded"  # succeeded / pending / failed / canceled (the latest)
    # (time, status) of every status it had, first one at `created`: a refund that failed
    # after it had succeeded has [(t0, "succeeded"), (t1, "failed")].
    history: list[tuple[int, str]] = field(default_factory=list)
    failure_reason: str | None = None
    is_release: bool = False  # Stripe's refund of an uncaptured authorization when released

    @property
    def counts_toward_refunded(self) -> bool:
        return self.status in ("succeeded", "pending")


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
class CreditNoteLine:
    id: str
    kind: str  # invoice_line_item / custom_line_item
    description: str
    amount: int  # tax exclusive
    quantity: int
    invoice_line: InvoiceLine | None
    tax: LineTax | None = None


@dataclass(slots=True)
class CreditNote:
    """A credit on a paid invoice: refunded (`refund`) or settled outside Stripe (out of band)."""

    id: str
    number: str
    invoice: Invoice
    created: int
    currency: str
    reason: str  # duplicate / order_change / product_unsatisfactory (Stripe's reasons)
    lines: list[CreditNoteLine]
    subtotal: int  # tax exclusive
    tax_amount: int
    total: int  # subtotal + tax_amount
    refund: Refund | None = None
    out_of_band_amount: int = 0
    memo: str | None = None


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
