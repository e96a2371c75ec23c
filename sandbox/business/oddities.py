"""The payments real accounts have besides paid invoices, so that a wrong rule shows.

- Manual-capture payments outside invoices (an onboarding deposit authorized on the card):
  captured later (a `charge.captured` event), released (Stripe refunds the uncaptured amount:
  the charge is `refunded` with a refund of the whole amount, yet nothing was ever captured),
  or still uncaptured at the end of the history (status succeeded, captured false). Every
  other release is a lapse: released exactly at the authorization's expiry (AUTH_EXPIRES
  after it), which the merchant never asked for (`Charge.lapsed`).
- Bank debits (SEPA, EUR customers) still in flight at the end: status pending, captured true,
  amount_captured = amount, as Stripe shows them; they are not revenue yet.
- One payment intent paying several manual invoices of one customer at once (several
  `invoice_payment` objects pointing at one payment intent).
- Draft invoices, most of them deleted (only drafts can be deleted).
- Deleted customers: only customers that never had a billing event, and never one of a
  person with several customers.

Every case has a quota on every (gateway, account) that does not depend on the scale, so the
smallest history has each, in each account's share.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from sandbox.business.billing import Books, build_invoice, charge_fee
from sandbox.business.clock import AUTH_EXPIRES, DAY, EVENTS_SINCE, HISTORY_END, HISTORY_START
from sandbox.business.lifecycle import ONE_OFF
from sandbox.business.model import Charge, Customer, Invoice, InvoiceLine, PaymentIntent, Refund

HOUR = 3600
KINDS = ("captured_later", "released", "uncaptured")
EXTRAS = (
    ("Data migration", 3),
    ("Priority onboarding session", 1),
    ("Team training (half day)", 2),
)


@dataclass
class Oddities:
    release_refunds: list[Refund] = field(default_factory=list)


def add_oddities(rng: random.Random, books: Books, customers: list[Customer]) -> Oddities:
    """Each case's quota is met on every (gateway, account), so each share has every case."""
    out = Oddities()
    billed = _billed(books)
    scale = max(1, len(customers) // 2000)
    last = _last_invoice(books)
    # A person with several customers keeps them all: the identity truth links each one.
    per_person = Counter(c.person_id for c in customers)
    for group in _by_account(customers):
        paying = [c for c in group if c.id in billed]
        part = len(group) / len(customers)
        _authorizations(rng, books, paying, out, count=max(6, round(20 * scale * part)))
        eur = [c for c in paying if c.currency == "EUR"]
        _bank_debits(rng, books, eur, count=max(2, round(6 * scale * part)))
        settled = [c for c in paying if c.balance == 0 and last.get(c.id, 0) < EVENTS_SINCE]
        _multi_invoice_payments(rng, books, settled, count=max(2, round(5 * scale * part)))
        _drafts(rng, books, paying, count=max(3, round(8 * scale * part)))
        never_billed = [c for c in group if c.id not in billed and per_person[c.person_id] == 1]
        _delete_customers(rng, never_billed)
    return out


def _by_account(customers: list[Customer]) -> list[list[Customer]]:
    groups: dict[tuple[str, str], list[Customer]] = {}
    for c in customers:
        groups.setdefault((c.gateway, c.account), []).append(c)
    return [groups[key] for key in sorted(groups)]


def _billed(books: Books) -> set[str]:
    return {inv.customer.id for inv in books.invoices} | {ch.customer.id for ch in books.charges}


def _last_invoice(books: Books) -> dict[str, int]:
    last: dict[str, int] = {}
    for inv in books.invoices:
        last[inv.customer.id] = max(last.get(inv.customer.id, 0), inv.created)
    return last


def _existing_at(rng: random.Random, pool: list[Customer], at: int) -> Customer | None:
    """A random customer of `pool` created at least a day before `at` (None if none is)."""
    for _ in range(64):
        customer = rng.choice(pool)
        if customer.created + DAY <= at:
            return customer
    early = [c for c in pool if c.created + DAY <= at]
    return rng.choice(early) if early else None


def _standalone(books: Books, customer: Customer, amount: int, at: int, what: str):
    pi = PaymentIntent(
        books.next_id("pi"), customer, None, amount, customer.currency, at, "succeeded",
        description=what,
    )  # fmt: skip
    books.payment_intents.append(pi)
    charge = Charge(
        books.next_id("ch"), pi, customer, amount, customer.currency, at + 5, "succeeded",
        customer.card,
    )  # fmt: skip
    books.charges.append(charge)
    pi.charges.append(charge)
    return pi, charge


def _authorizations(rng, books: Books, paying: list[Customer], out: Oddities, count: int) -> None:
    if not paying:
        return
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        if kind == "uncaptured":  # authorized in the last days, not yet captured nor expired
            at = rng.randint(HISTORY_END - 5 * DAY, HISTORY_END - HOUR)
        elif i < len(KINDS):  # the first of each kind falls inside the events window
            at = rng.randint(EVENTS_SINCE, HISTORY_END - AUTH_EXPIRES - HOUR)
        else:
            at = rng.randint(HISTORY_START + 30 * DAY, HISTORY_END - AUTH_EXPIRES - HOUR)
        customer = _existing_at(rng, paying, at)
        if customer is None:
            continue
        pi, charge = _standalone(
            books, customer, ONE_OFF[customer.currency] * 4, at, "Onboarding deposit"
        )
        pi.capture_method = "manual"
        charge.captured = False
        if kind == "captured_later":
            charge.captured = True
            charge.captured_at = charge.created + rng.randint(HOUR, 6 * DAY)
            charge.fee = charge_fee(charge.amount, charge.currency)
        elif kind == "released":
            # Every other one is never released by the merchant: it lapses at its expiry
            # (Stripe cancels it then, Braintree expires it). The draw is made either way, so
            # the rest of the history stays as it was.
            drawn = rng.randint(HOUR, AUTH_EXPIRES - 1)  # before expiry: a merchant's release
            lapses = (i // len(KINDS)) % 2 == 1
            released = charge.created + (AUTH_EXPIRES if lapses else drawn)
            charge.released_at, pi.status, pi.canceled_at = released, "canceled", released
            charge.lapsed = lapses
            refund = Refund(
                books.next_id("re"), charge, charge.amount, charge.currency, released, None,
                "succeeded", [(released, "succeeded")], is_release=True,
            )  # fmt: skip
            charge.refunds.append(refund)
            charge.amount_refunded = charge.amount
            out.release_refunds.append(refund)
        else:
            pi.status = "requires_capture"


def _bank_debits(rng, books: Books, eur: list[Customer], count: int) -> None:
    for _ in range(count if eur else 0):
        at = rng.randint(HISTORY_END - 4 * DAY, HISTORY_END - HOUR)
        customer = _existing_at(rng, eur, at)
        if customer is None:
            continue
        pi, charge = _standalone(
            books, customer, ONE_OFF[customer.currency] * 2, at, "Annual support pack"
        )
        pi.status, charge.status, charge.method = "processing", "pending", "sepa_debit"


def _multi_invoice_payments(rng, books: Books, settled: list[Customer], count: int) -> None:
    """Two or three manual invoices created together, paid by one payment intent."""
    for customer in rng.sample(settled, min(count, len(settled))):
        at = rng.randint(EVENTS_SINCE, HISTORY_END - 2 * DAY)
        invoices: list[Invoice] = []
        for desc, qty in rng.sample(EXTRAS, rng.randint(2, 3)):
            unit = ONE_OFF[customer.currency]
            line = InvoiceLine("", "one_off", desc, unit * qty, qty, None, at, at)
            invoices.append(build_invoice(books, customer, None, "manual", at, [line], None))
        total = sum(inv.amount_due for inv in invoices)
        pay_at = at + rng.randint(HOUR, DAY)
        pi = PaymentIntent(
            books.next_id("pi"), customer, invoices[0], total, customer.currency, pay_at,
            "succeeded", invoices=invoices,
        )  # fmt: skip
        books.payment_intents.append(pi)
        charge = Charge(
            books.next_id("ch"), pi, customer, total, customer.currency, pay_at + 5, "succeeded",
            customer.card,
        )  # fmt: skip
        charge.fee = charge_fee(total, customer.currency)
        books.charges.append(charge)
        pi.charges.append(charge)
        for inv in invoices:
            inv.status, inv.payment_intent, inv.attempt_count = "paid", pi, 1
            inv.amount_paid, inv.paid_at = inv.amount_due, charge.created


def _drafts(rng, books: Books, paying: list[Customer], count: int) -> None:
    """Drafts never touch the credit balance nor take a number (Stripe does both when it
    finalizes); two of three are deleted, the first of them inside the events window."""
    for i in range(count if paying else 0):
        at = rng.randint(EVENTS_SINCE - 60 * DAY, HISTORY_END - 2 * HOUR)
        if i == 0:
            at = rng.randint(EVENTS_SINCE, HISTORY_END - 2 * DAY)
        customer = _existing_at(rng, paying, at)
        if customer is None:
            continue
        desc, qty = rng.choice(EXTRAS)
        line = InvoiceLine("", "one_off", desc, ONE_OFF[customer.currency] * qty, qty, None, at, at)
        balance, seq = customer.balance, books.invoice_seq.get(customer.id, 0)
        inv = build_invoice(books, customer, None, "manual", at, [line], None)
        customer.balance, books.invoice_seq[customer.id] = balance, seq
        inv.number, inv.status = "", "draft"
        inv.starting_balance = inv.ending_balance = 0
        inv.amount_due = max(0, inv.total)
        if i % 3 != 2:
            inv.deleted_at = min(at + rng.randint(HOUR, 20 * DAY), HISTORY_END)


def _delete_customers(rng, never_billed: list[Customer]) -> None:
    """About four in ten; the first inside the events window; at least one stays."""
    for i, customer in enumerate(never_billed[:-1] if len(never_billed) > 1 else []):
        if i == 0:
            customer.deleted_at = rng.randint(
                max(customer.created + HOUR, EVENTS_SINCE), HISTORY_END
            )
        elif rng.random() < 0.4:
            deleted = customer.created + rng.randint(DAY, 120 * DAY)
            if deleted <= HISTORY_END:
                customer.deleted_at = deleted
