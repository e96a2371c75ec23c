"""The fault plan the PayPal sandbox applies: the shared kit's once it has landed, else the
one the Stripe sandbox grew (the same fields)."""

try:
    from sandbox.kit.faults import FaultPlan
except ImportError:  # before the kit lands
    from sandbox.stripe.faults import FaultPlan

__all__ = ["FaultPlan"]
