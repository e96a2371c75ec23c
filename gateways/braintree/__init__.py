"""Braintree: entities, the SDK transport with raw XML parsed by lxml, and the reader.

Importing the package loads no SDK (configuration reads `MODULE` on machines that never call
Braintree); the SDK loads inside `MODULE.reader(account)`.
"""

from gateways.braintree.entities import ENTITIES, BraintreeEntity

__all__ = ["ENTITIES", "BraintreeEntity"]
