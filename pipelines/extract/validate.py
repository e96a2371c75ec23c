"""The minimal parse check a raw object passes before it lands; failures go to quarantine.

Only what staging relies on is checked: the id (with the entity's prefix), the object type, an
integer `created`, money in integer minor units and a 3-letter currency. Everything else is
kept as the gateway sent it; dbt's tests judge the rest.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


class ObjectRules(Protocol):
    """What the validator needs to know of an entity (gateways.stripe.StripeEntity has it)."""

    name: str
    object: str
    id_prefixes: tuple[str, ...]
    money: tuple[str, ...]
    nullable_money: tuple[str, ...]
    currency: str  # "required", "nullable" or "none"


def problem_with(rules: ObjectRules, obj: Any) -> str | None:
    """None for an object fit to land, else the reason it is quarantined."""
    if not isinstance(obj, dict):
        return f"{rules.name}: item is {type(obj).__name__}, expected a JSON object"
    object_id = obj.get("id")
    if not isinstance(object_id, str) or not object_id:
        return f"{rules.name}: id is {_show(object_id)}, expected a non-empty string"
    where = f"{rules.name} {object_id}"
    if not object_id.startswith(rules.id_prefixes):
        return f"{where}: id does not start with {' or '.join(rules.id_prefixes)}"
    if obj.get("object") != rules.object:
        return f"{where}: object is {_show(obj.get('object'))}, expected '{rules.object}'"
    if "created" not in obj:
        return f"{where}: created is missing, expected Unix seconds"
    if not _is_int(obj["created"]):
        return f"{where}: created is {_show(obj['created'])}, expected Unix seconds (integer)"
    for name in rules.money:
        if name not in obj:
            return f"{where}: {name} is missing, expected integer minor units"
        if not _is_int(obj[name]):
            return f"{where}: {name} is {_show(obj[name])}, expected integer minor units"
    for name in rules.nullable_money:
        value = obj.get(name)
        if value is not None and not _is_int(value):
            return f"{where}: {name} is {_show(value)}, expected integer minor units or null"
    if rules.currency != "none":
        currency = obj.get("currency")
        if currency is None and rules.currency == "nullable":
            return None
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            return f"{where}: currency is {_show(currency)}, expected a 3-letter ISO code"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value: Any) -> str:
    """`str '12.00'`, `float 12.0`, `null`: the type and a short sample, for the reason."""
    if value is None:
        return "null"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
