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
        """`value` with every card cut to `keeps` (+ `not_card_data`) and every field of
        `dropped_everywhere` gone: the very object where nothing had to go, else a copy of
        the parts that changed (the input is never modified). Only containers are visited:
        a dict's scalars are looked at once, when it has to be copied (py-spy: rebuilding
        every dict was a fifth of a Stripe extraction's interpreter time)."""
        if isinstance(value, list):
            out_list = None
            for i, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    cut = self.scrub(item)
                    if cut is not item:
                        out_list = out_list or list(value)
                        out_list[i] = cut
            return value if out_list is None else out_list
        if not isinstance(value, dict):
            return value
        kind = value.get("object")
        if isinstance(kind, str) and kind in self.card_objects:
            return self._card(value)
        changed: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(item, (dict, list)):
                continue
            if key in self.card_keys:
                cut = (
                    self._card(item)
                    if isinstance(item, dict)
                    else [self._card(c) if isinstance(c, dict) else c for c in item]
                )
            else:
                cut = self.scrub(item)
            if cut is not item:
                changed[key] = cut
        dropped = [k for k in self.dropped_everywhere if k in value]
        if not changed and not dropped:
            return value
        return {k: changed.get(k, v) for k, v in value.items() if k not in dropped}

    def _card(self, card: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in card.items() if k in self.keeps or k in self.not_card_data}


NO_CARDS = CardRules(card_keys=frozenset(), keeps=())
