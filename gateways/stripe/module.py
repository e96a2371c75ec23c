"""Stripe's declaration on the seam: credentials, entities, actions, and its reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gateways.base import CONTRACTS
from gateways.cards import CardRules
from gateways.stripe.cards import STRIPE_CARDS
from gateways.stripe.entities import ENTITIES

if TYPE_CHECKING:
    from gateways.stripe.gateway import StripeGateway
    from ledgerdesk.config import GatewayAccount


@dataclass(frozen=True)
class StripeModule:
    name: str = "stripe"
    credentials: tuple[str, ...] = ("api_key",)
    default_api_base: str = "https://api.stripe.com"
    feeds: tuple[str, ...] = CONTRACTS  # every one
    cards: CardRules = STRIPE_CARDS
    # Declared for the actions API (a later issue); none is implemented yet.
    actions: frozenset[str] = frozenset(
        {"refund", "cancel", "capture", "send_invoice", "apply_coupon", "add_tax_id"}
    )

    @property
    def entities(self):
        return ENTITIES

    def reader(self, account: GatewayAccount) -> StripeGateway:
        from gateways.stripe.gateway import StripeGateway  # the SDK loads only here

        return StripeGateway(account)

    def check_account(self, account: GatewayAccount) -> list[tuple[str, str]]:
        return []


MODULE = StripeModule()
