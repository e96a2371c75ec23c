"""Braintree's declaration on the seam: credentials, entities, contracts fed, and its reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gateways.braintree.cards import BRAINTREE_CARDS
from gateways.braintree.entities import ENTITIES
from gateways.cards import CardRules

if TYPE_CHECKING:
    from gateways.braintree.reader import BraintreeReader
    from ledgerdesk.config import GatewayAccount


@dataclass(frozen=True)
class BraintreeModule:
    name: str = "braintree"
    credentials: tuple[str, ...] = ("merchant_id", "public_key", "private_key")
    default_api_base: str = "https://api.braintreegateway.com"
    # Braintree has no invoices, invoice lines or credit notes: no model feeds those.
    feeds: tuple[str, ...] = (
        "customers",
        "payments",
        "refunds",
        "disputes",
        "subscriptions",
        "subscription_items",
    )
    cards: CardRules = BRAINTREE_CARDS
    # Declared for the actions API (a later issue); none is implemented yet.
    actions: frozenset[str] = frozenset({"refund", "void", "capture", "cancel"})

    @property
    def entities(self):
        return ENTITIES

    def reader(self, account: GatewayAccount) -> BraintreeReader:
        from gateways.braintree.reader import BraintreeReader  # the SDK loads only here

        return BraintreeReader(account)

    def check_account(self, account: GatewayAccount) -> list[tuple[str, str]]:
        return []


MODULE = BraintreeModule()
