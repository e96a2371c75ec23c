"""The minimal parse check a raw object passes before it lands; failures go to quarantine.

Only an object that cannot be read at all is quarantined: no id (or one without the entity's
prefix), the wrong object type, no integer `created`, a money field present but not integer
minor units, or a currency the currency table does not know. A field an older API version
lacks (`amount_captured` before 2020-08-27 on charges, `balance` on customers) is not a
reason: the object lands as sent, and staging derives the field or leaves it null.
"""

from __future__ import annotations

from typing import Any, Protocol

from ledgerdesk.money import exponents


class ObjectRules(Protocol):
    """What the validator needs to know of an entity (StripeEntity has it)."""

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
    for name in rules.money:  # absent in an older version: fine; present: an integer
        if name in obj and not _is_int(obj[name]):
            return f"{where}: {name} is {_show(obj[name])}, expected integer minor units"
    for name in rules.nullable_money:
        value = obj.get(name)
        if value is not None and not _is_int(value):
            return f"{where}: {name} is {_show(value)}, expected integer minor units or null"
    if rules.currency != "none":
        currency = obj.get("currency")
        if currency is None and rules.currency == "nullable":
            return None
        if not isinstance(currency, str) or currency.upper() not in exponents():
            return f"{where}: currency is {_show(currency)}, not in the currency table"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value: Any) -> str:
    """`str '12.00'`, `float 12.0`, `null`: the type and a short sample, for the reason."""
    if value is None:
        return "null"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
