"""Stripe: the entity table, the transport and the gateway that reads through them."""

from gateways.stripe.entities import ENTITIES, StripeEntity
from gateways.stripe.gateway import StripeGateway

__all__ = ["ENTITIES", "StripeEntity", "StripeGateway"]
