"""Plausible, messy people: names with accents, emails in random case with stray whitespace.

The mess is deliberate: the warehouse must trim, case-fold and match persons that signed up
twice with differently written emails. The email rule (DECISIONLOG, issue 14): Unicode NFC,
leading and trailing whitespace removed (spaces, tabs, no-break spaces and other Unicode
spaces), lower case; inner characters are kept, so two emails that differ by an inner space
are two people. `same_person_email` is the generator's own statement of that rule, used only
to keep every messy variant it types inside the rule (the truth itself is `person_id`).
"""

from __future__ import annotations

import random
import unicodedata

from sandbox.business.tax import EU_VAT

# (country, weight, city); currency follows country (see currency_for).
COUNTRIES = [
    ("US", 30, "Austin"), ("GB", 9, "London"), ("DE", 8, "Berlin"), ("FR", 6, "Lyon"),
    ("JP", 5, "Tokyo"), ("AU", 4, "Sydney"), ("CA", 4, "Toronto"), ("NL", 3, "Utrecht"),
    ("IE", 3, "Dublin"), ("ES", 3, "Madrid"), ("IT", 3, "Milano"), ("SE", 2, "Malmö"),
    ("FI", 2, "Espoo"), ("DK", 2, "Ærøskøbing"), ("PL", 2, "Łódź"), ("AT", 1, "Wien"),
    ("BE", 1, "Gent"), ("PT", 1, "Porto"), ("BR", 2, "São Paulo"), ("IN", 2, "Pune"),
    ("SG", 1, "Singapore"), ("CH", 1, "Zürich"), ("NO", 1, "Bergen"), ("MX", 1, "Monterrey"),
    ("KW", 0.3, "Kuwait City"), ("IS", 0.5, "Reykjavík"),
]  # fmt: skip
# Every other EU member state appears too, thinly, so each VAT rate is exercised.
COUNTRIES += [(c, 0.4, "Capital") for c in EU_VAT if c not in {x[0] for x in COUNTRIES}]
US_STATES = [("CA", 30), ("NY", 20), ("TX", 20), ("WA", 10), ("FL", 10), ("OR", 10)]
US_CITIES = {
    "CA": "San José", "NY": "New York", "TX": "Austin", "WA": "Seattle", "FL": "Miami",
    "OR": "Portland",
}  # fmt: skip

FIRST = [
    "John", "Mary", "José", "Zoë", "Łukasz", "Søren", "François", "Anaïs", "Björn", "Chloé",
    "Yuki", "Haruto", "Priya", "Ahmed", "Olga", "Jürgen", "Maëlle", "Ciarán", "Siobhán", "Noé",
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mía", "Mateo", "Sofía", "Ingrid",
    "Dvořák", "Agnieszka", "Paweł", "Renée", "Åsa", "Željko", "Ines", "Kenji", "Aoife", "Oisín",
]  # fmt: skip
LAST = [
    "Smith", "García", "Müller", "Dubois", "Kowalski", "Jensen", "Rossi", "Tanaka", "O'Brien",
    "Nguyen", "Fernández", "Łęcki", "Ødegaard", "Brontë", "Šimek", "Johansson", "Murphy",
    "Suzuki", "Patel", "Novák", "van der Berg", "De Smet", "Silva", "Kuznetsova", "Y\u0131lmaz",
]  # fmt: skip
DOMAINS = ["example.com", "mail.test", "acme.io", "corp.example", "gmail.test", "firma.de"]
COMPANY_SUFFIX = ["GmbH", "Ltd", "SAS", "BV", "Inc.", "KK", "Oy", "AB", "S.L.", "sp. z o.o."]
TAX_ID_TYPE = {"AU": "au_abn", "GB": "gb_vat", "US": "us_ein", "JP": "jp_cn"}


def pick_country(rng: random.Random) -> tuple[str, str | None, str]:
    country, _, city = rng.choices(COUNTRIES, weights=[w for _, w, _ in COUNTRIES])[0]
    state = None
    if country == "US":
        state = rng.choices(US_STATES, weights=[w for _, w in US_STATES])[0][0]
        city = US_CITIES[state]
    return country, state, city


def place(country: str) -> tuple[str, str | None, str]:
    """(country, state, city) for a country chosen on purpose (its listed city)."""
    if country == "US":
        return "US", "CA", US_CITIES["CA"]
    return country, None, next(city for c, _, city in COUNTRIES if c == country)


def currency_for(country: str) -> str:
    if country in EU_VAT:
        return "EUR"
    return {"GB": "GBP", "JP": "JPY", "KW": "KWD", "IS": "ISK"}.get(country, "USD")


EDGE_WHITESPACE = (" ", "  ", "\t", "\u00a0", " \u00a0", "\u2009", "\t ")
ACCENTED_EMAIL_RATE = 0.15


def same_person_email(email: str) -> str:
    """NFC, Unicode whitespace trimmed at both ends (str.strip), lower case."""
    return unicodedata.normalize("NFC", email).strip().lower()


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.replace("'", "").replace(" ", "")


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def messy(rng: random.Random, text: str) -> str:
    """Random case and stray whitespace, the way people type into signup forms."""
    original = text
    roll = rng.random()
    if roll < 0.15:
        text = text.upper()
    elif roll < 0.35:
        text = "".join(ch.upper() if rng.random() < 0.3 else ch for ch in text)
    elif roll < 0.45:
        text = text.lower()
    if unicodedata.normalize("NFC", text).lower() != unicodedata.normalize("NFC", original).lower():
        text = original  # dotless i upper-cased then lower-cased is "i": another address
    pad = rng.random()
    if pad < 0.1:
        text = rng.choice(EDGE_WHITESPACE) + text
    elif pad < 0.2:
        text = text + rng.choice(EDGE_WHITESPACE)
    return text


def decomposed(text: str) -> str:
    """The same text in NFD (what a Mac keyboard may send): other bytes, the same person."""
    return unicodedata.normalize("NFD", text)


def base_email(
    rng: random.Random, first: str, last: str, person_id: int, accented: bool = False
) -> str:
    """Unique per person (the person number is in it): one normalized email, one person.

    Most are ASCII; some keep the accents of the name (NFC, lower case), as internationalized
    addresses do."""
    sep = rng.choice((".", "_", ""))
    domain = rng.choice(DOMAINS)
    if rng.random() < ACCENTED_EMAIL_RATE or accented:
        local = f"{_email_word(first)}{sep}{_email_word(last)}"
        if local.isascii():
            local = ascii_fold(first).lower() + "." + ascii_fold(last).lower()
        return unicodedata.normalize("NFC", f"{local}{person_id}@{domain}")
    return f"{ascii_fold(first)}{sep}{ascii_fold(last)}{person_id}@{domain}"


def _email_word(text: str) -> str:
    word = text.replace("'", "").replace(" ", "").lower()
    return word if same_person_email(word.upper()) == word else ascii_fold(text).lower()


def with_inner_space(email: str, rng: random.Random) -> str:
    """Another address: the same characters with one space inside the local part."""
    local, _, domain = email.partition("@")
    cut = rng.randint(1, max(1, len(local) - 1))
    return f"{local[:cut]} {local[cut:]}@{domain}"


def tax_id_for(rng: random.Random, country: str) -> tuple[str, str]:
    digits = "".join(rng.choice("0123456789") for _ in range(9))
    if country in EU_VAT:
        prefix = "EL" if country == "GR" else country
        return "eu_vat", f"{prefix}{digits}"
    return TAX_ID_TYPE.get(country, "us_ein"), digits


def company_name(rng: random.Random, last: str) -> str:
    return f"{last} {rng.choice(COMPANY_SUFFIX)}"
