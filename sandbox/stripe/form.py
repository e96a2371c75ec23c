"""Decoding the SDK's form encoding (query strings and POST bodies) into nested values.

stripe-python sends `created[gte]=1`, `types[0]=a&types[1]=b`, `expand[0]=x`, and clients
written by hand send `types[]=a`; all become `{"created": {"gte": "1"}, "types": ["a", "b"]}`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def decode_form(raw: bytes | str) -> dict[str, Any]:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        match = _KEY.match(key)
        if not match:
            root.setdefault(key, value)
            continue
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":  # `name[]`: append
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node.setdefault(part, value)  # the first occurrence wins
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    break
                node = child
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_listify(node[k]) for k in sorted(node, key=int)]
    return {k: _listify(v) for k, v in node.items()}
