"""The sandbox's fake company: a deterministic, gateway-neutral billing history.

`generate(seed, scale)` -> `Business`; scale 1 is about 2,000 customers and
CHARGES_PER_SCALE_UNIT charges; `scale_for_charges(n)` picks the scale for about n charges.
"""

from sandbox.business.clock import HISTORY_END, HISTORY_START
from sandbox.business.model import Business
from sandbox.business.simulate import generate

# Measured at seed 42 (charges, failed attempts included, per unit of scale).
CHARGES_PER_SCALE_UNIT = 14_700


def scale_for_charges(n: int) -> float:
    """The scale that yields about n charges (within a few percent)."""
    return n / CHARGES_PER_SCALE_UNIT


__all__ = [
    "CHARGES_PER_SCALE_UNIT",
    "HISTORY_END",
    "HISTORY_START",
    "Business",
    "generate",
    "scale_for_charges",
]
