"""Where PayPal files card data: `payment_source.card` of a capture or an authorization
(Payments v2), with `name`, `billing_address`, `last_digits`, `brand`, `expiry`, `type`.
Kept: the brand, the last digits and the expiry; the cardholder's name and billing address go.
Transaction Search's payer information is the buyer's, not card data."""

from __future__ import annotations

from gateways.cards import CardRules

PAYPAL_CARDS = CardRules(
    card_keys=frozenset({"card"}),
    keeps=("brand", "last_digits", "expiry", "type"),
    markers=(b'"card"',),
)
