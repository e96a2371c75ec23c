"""Where Braintree files card data: a transaction's `credit_card` (and the wallets' card
details), a customer's `credit_cards` and wallet cards. Kept: the brand (`card_type`), the
last four, the expiry and the issuing country; the payment method `token` stays too (a
reference to the vault, no card data: subscriptions name their card by it). Gone: the BIN,
the cardholder's name, the masked number, `unique_number_identifier` (a fingerprint across
merchants), images, the customer location and the rest."""

from __future__ import annotations

from gateways.cards import CardRules

CARD_KEYS = frozenset(
    {
        "credit_card",
        "credit_cards",
        "apple_pay_card",
        "apple_pay_cards",
        "apple_pay_details",
        "android_pay_card",
        "android_pay_cards",
        "android_pay_details",
        "google_pay_card",
        "google_pay_details",
        "visa_checkout_card",
        "visa_checkout_cards",
        "visa_checkout_card_details",
        "samsung_pay_card",
        "samsung_pay_cards",
        "samsung_pay_card_details",
        "masterpass_card",
        "masterpass_cards",
        "masterpass_card_details",
    }
)

BRAINTREE_CARDS = CardRules(
    card_keys=CARD_KEYS,
    keeps=(
        "card_type",
        "last_4",
        "expiration_month",
        "expiration_year",
        "country_of_issuance",
        "token",
    ),
    dropped_everywhere=frozenset({"unique_number_identifier", "bin"}),
    markers=(b"card", b"unique_number_identifier", b'"bin"'),
)
