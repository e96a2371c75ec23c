"""Stripe: the entity table, the transport and the gateway that reads through them.

Importing the package loads no SDK (configuration reads `MODULE` on machines that never call
Stripe); `StripeGateway` loads the SDK when first asked for.
"""

from typing import Any

from gateways.stripe.entities import ENTITIES, StripeEntity

__all__ = ["ENTITIES", "StripeEntity", "StripeGateway"]


def __getattr__(name: str) -> Any:
    if name == "StripeGateway":
        from gateways.stripe.gateway import StripeGateway

        return StripeGateway
    raise AttributeError(f"module 'gateways.stripe' has no attribute {name!r}")
