"""Braintree's XML as the gateway writes it: element shapes copied from real recorded answers
(`shapes/*.xml`, from the recordings in tests/specs/braintree), and the few value formats.

Every object the sandbox serves starts as a deep copy of its kind's recorded shape, so it has
exactly the elements, order and `type=` attributes the real gateway sends; the renderers only
set values. Times are naive UTC as Braintree writes them (`2021-01-25T19:17:43Z`, no offset),
dates `2021-01-25`, money a decimal string in the currency's exponent (JPY "1500", KWD "1.234").
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from lxml import etree

SHAPES = Path(__file__).resolve().parent / "shapes"

# ISO 4217 exponents of the currencies Braintree takes here (its own table is ISO's).
EXPONENTS = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KWD": 3, "AUD": 2, "CAD": 2}


@cache
def _shape(kind: str) -> etree._Element:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.parse(str(SHAPES / f"{kind}.xml"), parser).getroot()


def blank(kind: str) -> etree._Element:
    """A fresh copy of the recorded shape of `kind` (transaction, dispute, subscription, ...)."""
    return copy.deepcopy(_shape(kind))


def put(root: etree._Element, path: str, value: str | int | bool | None) -> etree._Element:
    """Set the element at `path` (dash names, `/` between levels) to `value`: None writes
    `nil="true"` as Braintree does; the element's `type=` stays the recorded one."""
    el = root.find(path)
    if el is None:
        raise KeyError(f"{root.tag} has no element {path}")
    for child in list(el):
        el.remove(child)
    if value is None:  # recorded nil elements carry no type
        el.text = None
        el.attrib.pop("type", None)
        el.set("nil", "true")
    else:
        el.attrib.pop("nil", None)
        el.text = str(value).lower() if isinstance(value, bool) else str(value)
    return el


def child(parent: etree._Element, tag: str, value=None, type_: str | None = None):
    """Append <tag> with `value`; None writes `nil="true"` and no type (as recorded), except
    for an array, which is empty instead."""
    el = etree.SubElement(parent, tag)
    if type_ == "array":
        el.set("type", "array")
    elif value is None:
        el.set("nil", "true")
    else:
        if type_:
            el.set("type", type_)
        el.text = str(value).lower() if isinstance(value, bool) else str(value)
    return el


def empty_array(root: etree._Element, path: str) -> etree._Element:
    el = root.find(path)
    if el is None:
        raise KeyError(f"{root.tag} has no element {path}")
    for c in list(el):
        el.remove(c)
    el.text = None
    return el


def at(ts: int | None) -> str | None:
    """Unix seconds -> Braintree's naive UTC datetime text."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(ts: int | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def money(minor: int, currency: str) -> str:
    """Integer minor units -> Braintree's decimal string (JPY 1500 -> "1500", KWD -> "1.234")."""
    exponent = EXPONENTS[currency]
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exponent)
    return f"{sign}{whole}.{frac:0{exponent}d}" if exponent else f"{sign}{whole}"


def to_bytes(el: etree._Element) -> bytes:
    return etree.tostring(el, encoding="UTF-8")


def document(el: etree._Element) -> bytes:
    return etree.tostring(el, encoding="UTF-8", xml_declaration=True)
