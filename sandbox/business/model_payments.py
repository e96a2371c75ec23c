"""The model's payments: intents, charges, refunds, disputes (the rest: model.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.business.model import Card, Customer
    from sandbox.business.model_invoices import Invoice


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
