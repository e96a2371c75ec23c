"""Card data kept in the warehouse: brand, last four digits, expiry and country, nothing else.

Applied to every object before it is hashed and landed (clean or quarantined, listed or
re-read, events included), wherever the card sits: a payment's `payment_method_details.card`
(and `card_present`, `interac_present`), a payment method's `card`, a card object
(`"object": "card"`, as older API versions embed as a charge's `source` or a customer's
`sources`). Fingerprints go everywhere (bank accounts have them too): they identify a card
across merchants. Wallet details, checks, network tokens, authorization codes and the rest
under a card are dropped (a dispute's case type and a refund's network reference, which
Stripe also files under `card`, are not card data and stay).
"""

from __future__ import annotations

from typing import Any

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


def needs_scrub(raw: bytes) -> bool:
    return any(marker in raw for marker in MARKERS)


def scrub_cards(value: Any) -> Any:
    """A copy of `value` with every card cut to CARD_KEEPS and every fingerprint dropped."""
    if isinstance(value, list):
        return [scrub_cards(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get("object") == "card":
        return _card(value)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in DROPPED_EVERYWHERE:
            continue
        out[key] = _card(item) if key in CARD_KEYS and isinstance(item, dict) else scrub_cards(item)
    return out


def _card(card: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in card.items() if k in CARD_KEEPS or k in NOT_CARD_DATA}
