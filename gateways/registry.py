"""The one list of gateways: built-in modules and those installed as Python entry points.

Configuration, the pipeline and the actions API all ask this module which gateways exist and
what each needs; nothing else keeps a list. A built-in gateway is named here with the module
that holds its `MODULE` (a `gateways.base.GatewayModule`); an installed package adds one with
an entry point in the group `ledgerdesk.gateways`, e.g. in its pyproject.toml:

    [project.entry-points."ledgerdesk.gateways"]
    acme = "acme_ledgerdesk:MODULE"

A gateway's declaration module must import cheaply (no SDK at import time): configuration
loads it to validate accounts on machines that never call the gateway.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from gateways.base import GatewayModule

ENTRY_POINT_GROUP = "ledgerdesk.gateways"

BUILT_IN: dict[str, str] = {
    "stripe": "gateways.stripe.module:MODULE",
    "braintree": "gateways.braintree.module:MODULE",
    "paypal": "gateways.paypal.module:MODULE",
}


class RegistryError(RuntimeError):
    """A gateway that is registered but cannot be loaded, or declares itself wrongly."""


@cache
def gateway_modules() -> dict[str, GatewayModule]:
    """Every registered gateway by name: built-ins first, then entry points (an entry point
    may not take a built-in's name)."""
    found: dict[str, GatewayModule] = {}
    for name, target in BUILT_IN.items():
        found[name] = _load(name, target, "built-in")
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name in found:
            raise RegistryError(
                f"entry point {point.name!r} ({point.value}) takes the name of a "
                f"{'built-in' if point.name in BUILT_IN else 'registered'} gateway"
            )
        found[point.name] = _load(point.name, point.value, "entry point")
    return found


def gateway_module(name: str) -> GatewayModule:
    modules = gateway_modules()
    try:
        return modules[name]
    except KeyError:
        raise KeyError(f"unknown gateway {name!r}; registered: {sorted(modules)}") from None


def _load(name: str, target: str, kind: str) -> GatewayModule:
    module_name, _, attr = target.partition(":")
    try:
        module = getattr(importlib.import_module(module_name), attr or "MODULE")
    except (ImportError, AttributeError) as exc:
        raise RegistryError(f"gateway {name!r} ({kind} {target}) cannot be loaded: {exc}") from exc
    if not isinstance(module, GatewayModule):
        raise RegistryError(f"gateway {name!r} ({kind} {target}) is not a GatewayModule")
    if module.name != name:
        raise RegistryError(f"gateway {name!r} ({kind} {target}) calls itself {module.name!r}")
    return module
