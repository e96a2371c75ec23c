"""PayPal's share of the business: the customers on (paypal, account) and what they own."""

from __future__ import annotations

from sandbox.business.model import Business
from sandbox.business.shares import share


def paypal_share(business: Business, account: str = "sandbox") -> Business:
    return share(business, "paypal", account)
