"""The dashboards read the marts only, whose money is in ISO 4217 minor units: every page
formats it with the ISO exponent, so no call to ledgerdesk.money's format functions passes a
gateway (or a context) there. A static check over every module of dashboards/."""

from __future__ import annotations

import ast
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
MONEY_FUNCTIONS = {"format_money", "format_amount", "to_major", "exponent", "rule", "accepts"}


def gateway_passing_calls(source: str) -> list[int]:
    """Lines of calls to a money function with more than (amount, currency) or a gateway."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in MONEY_FUNCTIONS:
            continue
        positional_limit = 1 if name in {"exponent", "rule"} else 2
        keywords = {k.arg for k in node.keywords}
        if len(node.args) > positional_limit or keywords & {"gateway", "context", None}:
            found.append(node.lineno)
    return found


def test_the_check_sees_a_gateway_passed():
    assert gateway_passing_calls("format_money(270000, 'ISK', gateway='stripe')") == [1]
    assert gateway_passing_calls("m.format_amount(270000, 'ISK', 'stripe')") == [1]
    assert gateway_passing_calls("format_money(2700, 'ISK')") == []


def test_no_page_passes_a_gateway_to_money_formatting():
    offenders = {
        str(path.relative_to(DASHBOARDS)): lines
        for path in sorted(DASHBOARDS.rglob("*.py"))
        if (lines := gateway_passing_calls(path.read_text()))
    }
    assert offenders == {}
    # The pages do format money (the check is not vacuous).
    assert any("format_money(" in p.read_text() for p in DASHBOARDS.rglob("*.py"))
