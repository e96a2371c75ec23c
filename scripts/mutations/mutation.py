"""One deliberate wrong rule: a find text in one file, its replacement, the tests it fails."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    find: str
    replace: str
    tests: tuple[str, ...]
    # Why today's suite does not catch it yet (the check then expects it to survive).
    known_gap: str | None = None
