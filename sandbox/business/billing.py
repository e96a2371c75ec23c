"""Invoices (lines, discount, tax) and their payment attempts with smart retries.

Discount rule: a percent coupon takes round-half-up(subtotal * percent / 100); an amount coupon
takes min(amount_off, subtotal); either is spread over the positive lines in proportion to their
amounts (floor), the rounding remainder going to the largest line. Tax is then computed per line
on (amount - line discount) with `tax.tax_amount`, and the invoice tax is the sum of line taxes.
Every rounding is to a whole unit of the currency as Stripe accepts it (`plans.whole_unit`):
the minor unit, but a whole krona (100) for ISK, so every ISK amount is a multiple of 100.
A negative total (a downgrade's credit larger than the new charges) becomes customer credit
balance, as in Stripe: amount_due = max(0, total + starting balance), and the rest of the credit
carries to the customer's next invoice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sandbox.business.clock import DAY, HISTORY_END
from sandbox.business.model import (
    Charge,
    Coupon,
    Customer,
    Invoice,
    InvoiceLine,
    LineTax,
    PaymentIntent,
    Subscription,
    TaxRate,
)
from sandbox.business.plans import whole_unit
from sandbox.business.tax import rate_for, tax_amount

RETRY_OFFSETS_DAYS = (3, 5, 7)  # smart retries after the first attempt, counted from it
FIRST_ATTEMPT_FAILS = 0.07
RETRY_SUCCEEDS = 0.4
# Processing fee (percent, fixed minor units) per currency; fees live in balance transactions.
FEES = {"USD": ("2.9", 30), "EUR": ("1.5", 25), "GBP": ("1.5", 20), "JPY": ("3.6", 0)}
FAILURES = [
    ("card_declined", "Your card was declined."),
    ("insufficient_funds", "Your card has insufficient funds."),
    ("expired_card", "Your card has expired."),
]


@dataclass
class Books:
    """Everything the simulation has created so far, and the id counters."""

    rng: random.Random
    tax_rates: dict
    counters: dict[str, int] = field(default_factory=dict)
    invoice_seq: dict[str, int] = field(default_factory=dict)
    invoices: list[Invoice] = field(default_factory=list)
    payment_intents: list[PaymentIntent] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)

    def next_id(self, prefix: str) -> str:
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}{n}"


def half_up_div(numerator: int, denominator: int, unit: int = 1) -> int:
    """round-half-up(numerator / denominator) to a multiple of `unit` (100: whole kronur in
    Stripe's ISK units), for non-negative integers, exact."""
    return (2 * numerator + denominator * unit) // (2 * denominator * unit) * unit


def coupon_discount(coupon: Coupon | None, subtotal: int, currency: str) -> int:
    if coupon is None or subtotal <= 0:
        return 0
    if coupon.percent_off is not None:
        return half_up_div(subtotal * coupon.percent_off, 100, whole_unit(currency))
    if coupon.currency == currency:
        return min(coupon.amount_off or 0, subtotal)
    return 0


def build_invoice(
    books: Books,
    customer: Customer,
    sub: Subscription | None,
    reason: str,
    created: int,
    lines: list[InvoiceLine],
    coupon: Coupon | None,
) -> Invoice:
    inv_id = books.next_id("in")
    for line in lines:
        line.id = books.next_id("il")
    subtotal = sum(line.amount for line in lines)
    discount = coupon_discount(coupon, subtotal, customer.currency)
    unit = whole_unit(customer.currency)
    _spread_discount(lines, discount, unit)
    rate: TaxRate | None = rate_for(customer, books.tax_rates)
    tax_total = 0
    if rate is not None:
        reason_code = "reverse_charge" if rate.reverse_charge else "standard_rated"
        for line in lines:
            taxable = line.amount - line.discount_amount
            amount = tax_amount(taxable, rate.percentage, unit)
            line.tax = LineTax(rate, taxable, amount, reason_code)
            tax_total += amount
    seq = books.invoice_seq.get(customer.id, 0) + 1
    books.invoice_seq[customer.id] = seq
    prefix = f"{(int(customer.id[1:]) * 2654435761) % 16**8:08X}"
    invoice = Invoice(
        id=inv_id,
        number=f"{prefix}-{seq:04d}",
        customer=customer,
        subscription=sub,
        billing_reason=reason,
        created=created,
        currency=customer.currency,
        period_start=min(line.period_start for line in lines),
        period_end=max(line.period_end for line in lines),
        lines=lines,
        coupon=coupon if discount else None,
        subtotal=subtotal,
        discount_amount=discount,
        tax_amount=tax_total,
        total=subtotal - discount + tax_total,
    )
    invoice.starting_balance = customer.balance
    owed = invoice.total + customer.balance
    invoice.amount_due, invoice.ending_balance = max(0, owed), min(0, owed)
    customer.balance = invoice.ending_balance
    books.invoices.append(invoice)
    if sub is not None:
        sub.latest_invoice = inv_id
    return invoice


def _spread_discount(lines: list[InvoiceLine], discount: int, unit: int = 1) -> None:
    positive = [line for line in lines if line.amount > 0]
    base = sum(line.amount for line in positive)
    if not discount or not base:
        return
    for line in positive:
        line.discount_amount = discount * line.amount // base // unit * unit
    largest = max(positive, key=lambda line: line.amount)
    largest.discount_amount += discount - sum(line.discount_amount for line in positive)


def charge_fee(amount: int, currency: str) -> int:
    pct, fixed = FEES.get(currency, ("2.9", 0))
    return tax_amount(amount, pct, whole_unit(currency)) + fixed


def settle(books: Books, invoice: Invoice, fail_prone: float) -> tuple[str, int]:
    """Attempt payment; returns ("paid", paid_at), ("failed", last_attempt) or ("open", next)."""
    if invoice.amount_due == 0:
        invoice.status, invoice.paid_at = "paid", invoice.created
        return "paid", invoice.created
    rng = books.rng
    customer = invoice.customer
    pi = PaymentIntent(
        books.next_id("pi"), customer, invoice, invoice.amount_due, invoice.currency,
        invoice.created, "requires_payment_method",
    )  # fmt: skip
    pi.invoices.append(invoice)
    books.payment_intents.append(pi)
    invoice.payment_intent = pi
    invoice.status = "open"
    first = invoice.created
    attempt_times = [first] + [first + d * DAY for d in RETRY_OFFSETS_DAYS]
    for i, at in enumerate(attempt_times):
        if at + 5 > HISTORY_END:
            invoice.next_payment_attempt = at
            return "open", at
        invoice.attempt_count += 1
        succeeds = rng.random() >= fail_prone if i == 0 else rng.random() < RETRY_SUCCEEDS
        charge = Charge(
            books.next_id("ch"), pi, customer, invoice.amount_due, invoice.currency, at + 5,
            "succeeded" if succeeds else "failed", customer.card,
        )  # fmt: skip
        charge.captured = succeeds  # a declined charge captured nothing
        books.charges.append(charge)
        pi.charges.append(charge)
        if succeeds:
            charge.fee = charge_fee(charge.amount, charge.currency)
            pi.status = "succeeded"
            invoice.status, invoice.amount_paid, invoice.paid_at = (
                "paid",
                invoice.amount_due,
                at + 5,
            )
            return "paid", at + 5
        charge.failure_code, charge.failure_message = rng.choice(FAILURES)
    invoice.status = "uncollectible"
    return "failed", attempt_times[-1] + 5
