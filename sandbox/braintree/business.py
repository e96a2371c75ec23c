"""The part of the shared business one Braintree account serves: its customers and every
object they own (sandbox.business.shares), with its own totals."""

from __future__ import annotations

from sandbox.business.model import Business
from sandbox.business.shares import share


def braintree_share(business: Business, account: str = "sandbox") -> Business:
    return share(business, "braintree", account)
