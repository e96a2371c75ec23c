"""PayPal's declaration on the seam: credentials, entities, contracts fed, and its reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gateways.cards import CardRules
from gateways.paypal.cards import PAYPAL_CARDS
from gateways.paypal.entities import ENTITIES

if TYPE_CHECKING:
    from gateways.paypal.reader import PayPalReader
    from ledgerdesk.config import GatewayAccount


@dataclass(frozen=True)
class PayPalModule:
    name: str = "paypal"
    credentials: tuple[str, ...] = ("client_id", "client_secret")
    default_api_base: str = "https://api-m.paypal.com"
    # No subscription items (a PayPal subscription has one plan and a quantity) and no
    # credit notes: those contracts get no PayPal model.
    feeds: tuple[str, ...] = (
        "customers",
        "payments",
        "refunds",
        "disputes",
        "subscriptions",
        "invoices",
    )
    cards: CardRules = PAYPAL_CARDS
    # Declared for the actions API (a later issue); none is implemented yet.
    actions: frozenset[str] = frozenset({"refund", "cancel", "capture", "void", "send_invoice"})

    @property
    def entities(self):
        return ENTITIES

    def reader(self, account: GatewayAccount) -> PayPalReader:
        from gateways.paypal.reader import PayPalReader  # the SDK loads only here

        return PayPalReader(account)

    def check_account(self, account: GatewayAccount) -> list[tuple[str, str]]:
        problems = []
        if account.default_currency == "KWD":
            problems.append(("default_currency", "PayPal does not take KWD"))
        return problems


MODULE = PayPalModule()
