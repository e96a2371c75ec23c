"""Card data kept in the warehouse: brand, last four digits, expiry and country, nothing else.

Each gateway files cards its own way, so each declares its `CardRules` (the keys a card sits
under, the object types that are cards, the fields of a card to keep); the one scrubber here
applies them to every object before it is hashed and landed (clean or quarantined, listed or
re-read). Fingerprints and the like (`dropped_everywhere`) go wherever they stand: they
identify a card across merchants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CardRules:
    card_keys: frozenset[str]  # a dict under one of these keys (or a list of them) is a card
    keeps: tuple[str, ...]  # the card's fields that stay: brand, last four, expiry, country
    # the values of `object` that make a dict a card wherever it stands (Stripe's "card")
    card_objects: frozenset[str] = frozenset()
    # fields under a card key that are not card data and stay (Stripe's dispute case type)
    not_card_data: tuple[str, ...] = ()
    dropped_everywhere: frozenset[str] = frozenset()
    # a payload without any of these needs no walk (the fast path for most objects)
    markers: tuple[bytes, ...] = ()

    def needs_scrub(self, raw: bytes) -> bool:
        return any(marker in raw for marker in self.markers)

    def scrub(self, value: Any) -> Any:
        """A copy of `value` with every card cut to `keeps` (+ `not_card_data`) and every
        field of `dropped_everywhere` gone."""
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if not isinstance(value, dict):
            return value
        kind = value.get("object")
        if isinstance(kind, str) and kind in self.card_objects:
            return self._card(value)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in self.dropped_everywhere:
                continue
            if key in self.card_keys and isinstance(item, dict):
                out[key] = self._card(item)
            elif key in self.card_keys and isinstance(item, list):
                out[key] = [self._card(c) if isinstance(c, dict) else c for c in item]
            else:
                out[key] = self.scrub(item)
        return out

    def _card(self, card: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in card.items() if k in self.keeps or k in self.not_card_data}


NO_CARDS = CardRules(card_keys=frozenset(), keeps=())
