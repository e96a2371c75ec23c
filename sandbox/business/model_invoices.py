"""The model's invoices and credit notes (sandbox/business/model.py holds the rest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.business.model import Coupon, Customer, Plan, Subscription, TaxRate
    from sandbox.business.model_payments import PaymentIntent, Refund


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
