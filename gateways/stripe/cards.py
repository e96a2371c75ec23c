"""Where Stripe files card data (gateways/cards.py keeps brand, last four, expiry and
country): a payment's `payment_method_details.card` (and `card_present`, `interac_present`),
a payment method's `card`, a card object (`"object": "card"`, as older API versions embed as
a charge's `source` or a customer's `sources`). Fingerprints go everywhere (bank accounts have
them too): they identify a card across merchants. Wallet details, checks, network tokens,
authorization codes and the rest under a card are dropped (a dispute's case type and a
refund's network reference, which Stripe also files under `card`, are not card data and
stay).
"""

from __future__ import annotations

from gateways.cards import CardRules

CARD_KEEPS = ("brand", "last4", "exp_month", "exp_year", "country")
# Not card data, though Stripe files them under `card`: a dispute's case type and network
# reason code, a refund's network reference (ARN) and its status.
NOT_CARD_DATA = (
    "case_type", "network_reason_code", "reference", "reference_status", "reference_type",
    "type",
)  # fmt: skip
CARD_KEYS = frozenset({"card", "card_present", "interac_present"})
DROPPED_EVERYWHERE = frozenset({"fingerprint"})
# A payload that contains none of these needs no walk (the fast path for most objects).
MARKERS = (b'"card', b"interac_present", b"fingerprint")


STRIPE_CARDS = CardRules(
    card_keys=CARD_KEYS,
    keeps=CARD_KEEPS,
    card_objects=frozenset({"card"}),
    not_card_data=NOT_CARD_DATA,
    dropped_everywhere=DROPPED_EVERYWHERE,
    markers=MARKERS,
)
