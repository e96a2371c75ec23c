"""The small protocol every gateway module implements.

A gateway reads one entity page by page as plain dicts (parsed from the wire with orjson, never
SDK objects) and declares which actions it supports. Pipelines and the actions API depend on
this protocol only, so a custom gateway module can stand beside the built-in ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

# Action names a gateway may declare; the actions API maps each to a gateway call.
KNOWN_ACTIONS = frozenset({"refund", "cancel", "capture", "send_invoice", "add_tax_id"})


@dataclass(frozen=True)
class ReadCursor:
    """Where a listing starts: objects created at or after `created_gte`, after `starting_after`.

    `starting_after` is the resume token of the last page already consumed (newest-first lists).
    """

    created_gte: int | None = None
    starting_after: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of objects as the gateway sent them, with what is needed to go on from it."""

    objects: list[dict[str, Any]]
    resume: str | None  # pass as ReadCursor.starting_after to continue after this page
    has_more: bool
    fetched_at: int  # the gateway's clock (Date header) when the page was served, Unix seconds


@runtime_checkable
class Gateway(Protocol):
    gateway: str
    entities: tuple[str, ...]
    actions: frozenset[str]

    def read(self, entity: str, since: ReadCursor | None = None) -> Iterator[Page]:
        """Pages of `entity`, newest first, from `since` to the end of the listing."""
        ...
