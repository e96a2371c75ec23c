"""`generate(seed, scale)`: the whole history, deterministic for a given seed and scale."""

from __future__ import annotations

import random

from sandbox.business import accounts, identity, people
from sandbox.business.aftermath import add_aftermath
from sandbox.business.billing import Books
from sandbox.business.clock import DAY, HISTORY_END, HISTORY_START
from sandbox.business.credit import add_credit_notes
from sandbox.business.lifecycle import Lifecycle
from sandbox.business.model import Business, Card, Coupon, Customer
from sandbox.business.nogc import paused_gc
from sandbox.business.oddities import add_oddities
from sandbox.business.plans import build_addon_plans, build_coupons, build_plans
from sandbox.business.tax import build_tax_rates
from sandbox.business.totals import compute_totals

CUSTOMERS_PER_SCALE = 2000
DUPLICATE_PERSON_RATE = 0.03
COUPON_RATE = 0.12
REACTIVATION_RATE = 0.3
NO_SUBSCRIPTION_RATE = 0.03
INNER_SPACE_RATE = 0.01  # another person whose email is this one's with an inner space
BRANDS = [("visa", 55), ("mastercard", 30), ("amex", 10), ("discover", 3), ("jcb", 2)]


def generate(seed: int = 42, scale: float = 1.0) -> Business:
    """The company's whole history; same (seed, scale) -> the same history, field for field."""
    with paused_gc():
        return _generate(seed, scale)


def _generate(seed: int, scale: float) -> Business:
    rng = random.Random(seed)
    split = accounts.split_rng(seed)  # gateways and crossings: their own draws
    crossings = identity.Crossings(split)
    plans = build_plans()
    coupons = build_coupons()
    tax_rates = build_tax_rates()
    books = Books(rng, tax_rates)
    addon_plans = build_addon_plans()
    lifecycle = Lifecycle(
        books,
        {(p.product, p.interval, p.currency): p for p in plans},
        addon_plans,
        addon_quota=max(2, round(3 * scale)),
    )
    customers: list[Customer] = []
    extra = DUPLICATE_PERSON_RATE + identity.CROSSING_RATE  # second customers per person
    persons = max(1, round(CUSTOMERS_PER_SCALE * scale / (1 + extra)))
    span = HISTORY_END - HISTORY_START - 7 * DAY
    others = persons  # person ids after the planned ones: the inner-space neighbours
    for person_id in range(1, persons + 1):
        signup = HISTORY_START + int(span * rng.random())
        # Person 2 always has an accented address and a twin typing it decomposed (NFD);
        # person 3 always has a twin: every scale has both cases.
        placed = accounts.PLACED.get(person_id)
        first = _customer(
            books, rng, person_id, signup, None, accented=person_id == 2,
            country=placed[0] if placed else None,
        )  # fmt: skip
        first.gateway = placed[1] if placed else accounts.pick_gateway(split, first.currency)
        crossing = crossings.kind(first)
        kind = crossing[0] if crossing else None
        carries_id = split.random() < identity.EXTERNAL_ID_RATE and kind != "tax_id"
        if kind == "external_id" or carries_id:
            first.external_id = identity.external_id_for(person_id)
        customers.append(first)
        _subscribe(lifecycle, rng, first, signup, coupons)
        if rng.random() < DUPLICATE_PERSON_RATE or person_id in (2, 3):
            again = signup + rng.randint(DAY, 200 * DAY)
            if person_id in (2, 3):
                again = min(again, HISTORY_END - 2 * DAY)
            if again < HISTORY_END - DAY:
                twin = _customer(books, rng, person_id, again, first)
                twin.gateway, twin.external_id = first.gateway, first.external_id
                twin.matched_by = "email"
                customers.append(twin)
                if rng.random() < 0.5 or twin.gateway == "paypal":
                    _subscribe(lifecycle, rng, twin, again, coupons)
        if crossing:
            again = min(signup + rng.randint(DAY, 200 * DAY), HISTORY_END - 2 * DAY)
            second = _crossing_customer(books, rng, first, *crossing, again)
            customers.append(second)
            _subscribe(lifecycle, rng, second, again, coupons, always=True)
        if rng.random() < INNER_SPACE_RATE or person_id == 1:
            others += 1
            created = min(signup + rng.randint(DAY, 90 * DAY), HISTORY_END - 2 * DAY)
            email = people.with_inner_space(people.same_person_email(first.email), rng)
            neighbour = _customer(books, rng, others, created, None, email=email)
            neighbour.gateway = accounts.pick_gateway(split, neighbour.currency)
            customers.append(neighbour)
            _subscribe(lifecycle, rng, neighbour, created, coupons)
    payments = add_oddities(rng, books, customers)
    refunds, disputes = add_aftermath(rng, books.charges, books.next_id)
    refunds += payments.release_refunds
    credit_notes = add_credit_notes(rng, books, refunds)

    def by_time(items: list) -> list:
        return sorted(items, key=lambda o: o.created)

    business = Business(
        seed=seed,
        scale=scale,
        history_start=HISTORY_START,
        history_end=HISTORY_END,
        plans=plans + list(addon_plans.values()),
        coupons=coupons,
        tax_rates=sorted(tax_rates.values(), key=lambda r: r.id),
        customers=by_time(customers),
        subscriptions=by_time(lifecycle.subscriptions),
        invoices=by_time(books.invoices),
        payment_intents=by_time(books.payment_intents),
        charges=by_time(books.charges),
        refunds=by_time(refunds),
        disputes=by_time(disputes),
        credit_notes=by_time(credit_notes),
    )
    business.totals = compute_totals(business)
    return business


def _subscribe(
    lifecycle: Lifecycle, rng: random.Random, customer, start, coupons, always: bool = False
) -> None:
    # PayPal knows a payer only through its payments: every PayPal customer subscribes.
    if rng.random() < NO_SUBSCRIPTION_RATE and not always and customer.gateway != "paypal":
        return
    usable = [c for c in coupons if c.currency in (None, customer.currency)]
    coupon: Coupon | None = rng.choice(usable) if rng.random() < COUPON_RATE else None
    start += rng.randint(60, 3600)  # the subscription follows the signup
    ended = lifecycle.run(customer, start, coupon, reactivation=False)
    while ended is not None and rng.random() < REACTIVATION_RATE:
        start = ended + rng.randint(20 * DAY, 150 * DAY)
        if start > HISTORY_END - DAY:
            return
        ended = lifecycle.run(customer, start, None, reactivation=True)


def _customer(
    books: Books, rng: random.Random, person_id: int, created: int, twin,
    accented: bool = False, email: str | None = None, country: str | None = None,
) -> Customer:  # fmt: skip
    if twin is None:
        drawn = people.pick_country(rng)
        country, state, city = people.place(country) if country else drawn
        first, last = people.person_name(rng)
        if accented:
            first, last = "Zoë", "Dvořák"
        if email is None:
            email = people.base_email(rng, first, last, person_id, accented)
        full = f"{first} {last}"
        is_business = rng.random() < 0.3
    else:  # the same person signing up again: same address, differently typed email
        country, state, city = twin.country, twin.state, twin.city
        email = people.same_person_email(twin.email)
        full, is_business = twin.name.strip(), False
    name = people.company_name(rng, full.split()[-1]) if is_business else full
    tax_id_type = tax_id = None
    if is_business and rng.random() < 0.8:
        tax_id_type, tax_id = people.tax_id_for(rng, country)
    card = _card(rng, country)
    return Customer(
        id=books.next_id("c"),
        person_id=person_id,
        email=_twin_email(rng, email, twin) if twin else people.messy(rng, email),
        name=people.messy(rng, name) if rng.random() < 0.3 else name,
        country=country,
        state=state,
        city=city,
        postal_code=f"{rng.randint(1000, 99999)}",
        currency=people.currency_for(country),
        is_business=is_business,
        tax_id_type=tax_id_type,
        tax_id=tax_id,
        created=created,
        card=card,
    )


def _twin_email(rng: random.Random, email: str, twin: Customer) -> str:
    """The same address typed differently from the twin's: case, edge whitespace, and for an
    accented address its decomposed (NFD) form."""
    variant = people.messy(rng, email)
    if not email.isascii() and (rng.random() < 0.6 or twin.person_id == 2):
        variant = people.decomposed(variant)
    if variant == twin.email:
        variant = "\t" + variant if not variant.startswith("\t") else variant + "\u00a0"
    return variant


def _card(rng: random.Random, country: str) -> Card:
    brand = rng.choices(BRANDS, weights=[w for _, w in BRANDS])[0][0]
    return Card(
        brand, f"{rng.randint(0, 9999):04d}", rng.randint(1, 12), rng.randint(2026, 2032),
        rng.choice(("credit", "credit", "debit")), country,
        "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
                for _ in range(16)),
    )  # fmt: skip


def _crossing_customer(
    books: Books, rng: random.Random, first: Customer, kind: str, gateway: str, created: int
) -> Customer:
    """The person's customer on a second gateway, linked to the first by `kind`."""
    if kind == "email":
        email = _twin_email(rng, people.same_person_email(first.email), first)
    else:
        email = identity.other_email(first.name, first.person_id)
    same_business = kind == "tax_id"
    return Customer(
        id=books.next_id("c"),
        person_id=first.person_id,
        email=email,
        name=identity.name_variant(rng, first.name),
        country=first.country,
        state=first.state,
        city=first.city,
        postal_code=first.postal_code,
        currency=first.currency,
        is_business=first.is_business and same_business,
        tax_id_type=first.tax_id_type if same_business else None,
        tax_id=first.tax_id if same_business else None,
        created=created,
        card=_card(rng, first.country),
        gateway=gateway,
        account=first.account,
        external_id=first.external_id,
        matched_by=kind,
    )
