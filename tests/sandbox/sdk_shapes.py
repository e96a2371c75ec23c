"""The pinned API version's object shapes, read from the installed SDK's source with `ast`.

stripe-python declares each field of API 2026-10-28.endive on its resource class
(`amount: int`, `invoice: ExpandableField["Invoice"]`, `lines: ListObject["InvoiceLineItem"]`,
nested `class StatusTransitions(StripeObject)`). `problems(value, ...)` lists every place a
served object disagrees with those annotations: a wrong type, a key the class does not
declare (unless Stripe's own example has it), a declared key Stripe's example has but the
object lacks. The annotations are read as written; nothing here restates a shape by hand.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import Any

import stripe

SDK = Path(stripe.__file__).parent
_CLASS = re.compile(r"^class (\w+)\(", re.M)
SCALARS = {"int": (int,), "str": (str,), "bool": (bool,), "float": (int, float)}
DICTS = {"Dict", "UntypedStripeObject", "StripeObject", "Mapping"}


@functools.cache
def _top_classes() -> dict[str, Path]:
    """Top-level class name -> its module file, over the SDK's v1 resource modules."""
    out: dict[str, Path] = {}
    for path in sorted(SDK.glob("_*.py")):
        for name in _CLASS.findall(path.read_text()):
            out.setdefault(name, path)
    return out


@functools.cache
def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


class Shape:
    """One declared class: its fields' annotations and the classes nested in it."""

    def __init__(self, node: ast.ClassDef, outer: Shape | None = None) -> None:
        self.name = node.name
        self.outer = outer
        self.fields: dict[str, ast.expr] = {}
        self.nested: dict[str, ast.ClassDef] = {}
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                if not stmt.target.id.isupper():  # OBJECT_NAME: ClassVar
                    self.fields[stmt.target.id] = stmt.annotation
            elif isinstance(stmt, ast.ClassDef):
                self.nested[stmt.name] = stmt

    def resolve(self, name: str) -> Shape | None:
        scope: Shape | None = self
        while scope is not None:
            if name in scope.nested:
                return Shape(scope.nested[name], scope)
            scope = scope.outer
        return resource(name)


@functools.cache
def resource(class_name: str) -> Shape | None:
    path = _top_classes().get(class_name)
    if path is None:
        return None
    for node in _module(path).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return Shape(node)
    return None


def _head(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        return _head(node.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def _args(node: ast.expr) -> list[ast.expr]:
    if not isinstance(node, ast.Subscript):
        return []
    s = node.slice
    return list(s.elts) if isinstance(s, ast.Tuple) else [s]


class Merged(dict):
    """Several example items as one: keys in any of them, `required` those in all of them."""

    required: set[str]


def merged(items: list[Any]) -> Merged | None:
    """A list's example items (a credit note's lines: one with `invoice_line_item`, one
    without) as one example: a key any of them has is allowed, one all of them have is due."""
    dicts = [i for i in items if isinstance(i, dict)]
    if not dicts:
        return None
    out = Merged()
    for item in dicts:
        for key, value in item.items():
            out.setdefault(key, value)
    out.required = set.intersection(*(set(d) for d in dicts))
    return out


def problems(
    value: Any, ann: ast.expr, scope: Shape, where: str, example: Any, depth: int = 0
) -> list[str]:
    """Where `value` disagrees with annotation `ann` (read in `scope`)."""
    head = _head(ann)
    if head == "Optional":
        return [] if value is None else problems(value, _args(ann)[0], scope, where, example)
    if head == "Union":
        found = [problems(value, a, scope, where, example, depth) for a in _args(ann)]
        return [] if any(not f for f in found) else min(found, key=len)
    if head == "Literal":
        allowed = [a.value for a in _args(ann) if isinstance(a, ast.Constant)]
        return [] if value in allowed else [f"{where}: {value!r} is not one of {allowed}"]
    if head in SCALARS:
        ok = isinstance(value, SCALARS[head]) and not (head != "bool" and value is True)
        ok = ok and not (head in ("int", "float") and isinstance(value, bool))
        return [] if ok else [f"{where}: {value!r} is not {head}"]
    if head == "Decimal":
        return [] if isinstance(value, str) else [f"{where}: {value!r} is not a decimal string"]
    if head == "Any":
        return []
    if head in DICTS:
        return [] if isinstance(value, dict) else [f"{where}: {value!r} is not an object"]
    if head == "List":
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not a list"]
        item_example = merged(example) if isinstance(example, list) else None
        out: list[str] = []
        for i, item in enumerate(value[:5]):
            out += problems(item, _args(ann)[0], scope, f"{where}[{i}]", item_example, depth)
        return out
    if head == "ExpandableField":
        if isinstance(value, str):
            return []
        return problems(value, _args(ann)[0], scope, where, example, depth)
    if head == "ListObject":
        if not isinstance(value, dict) or value.get("object") != "list":
            return [f"{where}: {value!r} is not a list object"]
        data_example = (example or {}).get("data") if isinstance(example, dict) else None
        item_example = merged(data_example) if data_example else None
        out = [] if isinstance(value.get("has_more"), bool) else [f"{where}.has_more"]
        for i, item in enumerate(value.get("data", [])[:5]):
            out += problems(item, _args(ann)[0], scope, f"{where}.data[{i}]", item_example, depth)
        return out
    shape = scope.resolve(head)
    if shape is None:
        return []  # a type the SDK does not declare here (e.g. a v2 class): not checked
    return object_problems(value, shape, where, example, depth + 1)


def object_problems(
    value: Any, shape: Shape, where: str, example: Any = None, depth: int = 0
) -> list[str]:
    """Keys and types of one object against its declared class and Stripe's example."""
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object ({shape.name})"]
    if depth > 6:
        return []
    example = example if isinstance(example, dict) else {}
    out = [
        f"{where}.{key}: not declared by {shape.name}"
        for key in value
        if key not in shape.fields and key not in example
    ]
    required = example.required if isinstance(example, Merged) else set(example)
    kind = value.get("type")
    if isinstance(kind, str) and kind in shape.fields:
        # A type-keyed object (payment_method_details, an invoice's parent) carries the
        # details of its own type only: the other types' sub-objects are not due.
        required = {k for k in required if k == kind or not isinstance(example.get(k), dict)}
    out += [
        f"{where}.{key}: missing (declared by {shape.name} and in Stripe's example)"
        for key in shape.fields
        if key in required and key not in value
    ]
    for key, ann in shape.fields.items():
        if key in value:
            out += problems(value[key], ann, shape, f"{where}.{key}", example.get(key), depth)
    return out
