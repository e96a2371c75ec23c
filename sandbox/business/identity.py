"""One person on two gateways: which people get a second customer elsewhere, and the truth of
how each customer links to its person.

A crossing person has a second customer on another gateway (same `person_id`, same address):
- `email`: the same address typed differently (case, edge whitespace, NFC vs NFD) and the
  name written a little differently;
- `external_id`: an entirely different address; both customers carry the company's own user
  id (`Customer.external_id`), which every gateway can carry;
- `tax_id`: an entirely different address; both are the same business with the same VAT id
  (`Customer.tax_id`), which Stripe and Braintree carry and PayPal does not.
The rule of a customer (`identity_rows`) is the first of email, external_id, tax_id that it
shares with another listed customer of its person; `standalone` when it is its person's only
listed customer. Customers of a person with several are never deleted (`oddities`), and no two
people share a normalized email, an external id or a VAT id, so the rule is unambiguous.
"""

from __future__ import annotations

import random

from sandbox.business import people
from sandbox.business.accounts import pick_gateway, takes
from sandbox.business.model import Business, Customer

CROSSING_RATE = 0.05
KIND_WEIGHTS = (("email", 6), ("external_id", 3), ("tax_id", 1))
# Every scale has at least this many of each kind (filled by the first eligible people).
QUOTAS = {"email": 2, "external_id": 2, "tax_id": 1}
EXTERNAL_ID_RATE = 0.3  # people whose customers carry the company's user id anyway
RULES = ("email", "external_id", "tax_id")
VAT_TYPES = ("eu_vat", "gb_vat")
OTHER_DOMAIN = "work.example"  # in no base address: an entirely different email


class Crossings:
    """Decides, person by person, who crosses to a second gateway and how they are linked."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.left = dict(QUOTAS)

    def kind(self, first: Customer) -> tuple[str, str] | None:
        """(kind, second gateway) for this person's first customer, or None."""
        eligible = [k for k, _ in KIND_WEIGHTS if self._other(first, k) is not None]
        wanted = [k for k in eligible if self.left[k] > 0]
        roll = self.rng.random()
        if wanted:
            kind = wanted[0]
        elif roll < CROSSING_RATE and eligible:
            weights = dict(KIND_WEIGHTS)
            kind = self.rng.choices(eligible, weights=[weights[k] for k in eligible])[0]
        else:
            return None
        first_of_kind = self.left[kind] == QUOTAS[kind]
        self.left[kind] = max(0, self.left[kind] - 1)
        other = self._other(first, kind)
        via_paypal = first.gateway != "paypal" and takes("paypal", first.currency)
        if kind == "external_id" and first_of_kind and via_paypal:
            other = "paypal"  # one link at least through PayPal's custom_id
        assert other is not None
        return kind, other

    def _other(self, first: Customer, kind: str) -> str | None:
        if kind != "tax_id":
            return pick_gateway(random.Random(first.id), first.currency, exclude=first.gateway)
        if first.tax_id_type not in VAT_TYPES or first.gateway == "paypal":
            return None
        other = "braintree" if first.gateway == "stripe" else "stripe"
        return other if takes(other, first.currency) else None


def external_id_for(person_id: int) -> str:
    return f"usr_{person_id:06d}"


def other_email(name: str, person_id: int) -> str:
    """An entirely different address of the same person (a work address: a valid local part
    of the name's first word, folded to ASCII letters and digits)."""
    words = [
        "".join(ch for ch in people.ascii_fold(w).lower() if ch.isalnum()) for w in name.split()
    ]
    first = next((w for w in words if w), "customer")
    return f"{first}.{person_id}@{OTHER_DOMAIN}"


def name_variant(rng: random.Random, name: str) -> str:
    """The same name written a little differently on another gateway's form."""
    base = name.strip()
    roll = rng.random()
    if roll < 0.3:
        variant = base.upper()
    elif roll < 0.5:
        variant = base.lower()
    elif roll < 0.7:
        variant = people.decomposed(base)
    elif roll < 0.85:
        variant = " ".join(people.ascii_fold(w) for w in base.split()) or base
    else:
        variant = f" {base} "
    if variant == name:
        variant = f"{base} " if name != f"{base} " else f" {base}"
    return variant


def identity_rows(b: Business) -> list[tuple[int, str, str, str, str]]:
    """(person_id, gateway, account, customer id, rule) for every listed customer."""
    by_person: dict[int, list[Customer]] = {}
    for c in b.customers:
        if c.deleted_at is None:
            by_person.setdefault(c.person_id, []).append(c)
    rows = []
    for person_id, customers in by_person.items():
        for c in customers:
            if len(customers) == 1:
                rule = "standalone"
            elif c.matched_by is not None:
                rule = c.matched_by
            else:  # the person's first customer: linked by the strongest of its partners' ties
                ties = [o.matched_by for o in customers if o.matched_by is not None]
                rule = min(ties, key=RULES.index)
            rows.append((person_id, c.gateway, c.account, c.id, rule))
    return sorted(rows, key=lambda r: (r[0], int(r[3][1:])))
