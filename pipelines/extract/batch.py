"""A batch of objects on its way to the warehouse: clean rows, quarantined ones, the cursor."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateways.cards import NO_CARDS, CardRules
from gateways.registry import gateway_modules

# PostgreSQL's jsonb cannot hold U+0000 (`\u0000` in JSON text), DuckDB's json can: an object
# with one is quarantined on every engine, so that the engines keep the same rows and the
# batch is never refused whole (DECISIONLOG.md, 2026-12-02).
NUL_REASON = "a text value holds the NUL character (U+0000), which PostgreSQL cannot store"
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def holds_nul(raw: bytes) -> bool:
    """Whether JSON text `raw` escapes a U+0000 (and not a backslash followed by `u0000`)."""
    return b"\\u0000" in raw and _ESCAPED_NUL.search(raw) is not None


def payload_hash(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


@dataclass
class LandingBatch:
    gateway: str
    account_id: str
    entity: str
    cursor: Any = None  # saved in the batch's transaction when not None
    # A full listing: every id in the batch (clean or quarantined) is marked listed_at; the
    # listing's last batch sets prune_before to its start, removing the rows it never saw.
    listed_at: int | None = None
    prune_before: int | None = None
    ids: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    payloads: list[str] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    version_at: list[int] = field(default_factory=list)
    # (object_id or None, reason, raw_text, raw_hash)
    quarantined: list[tuple[str | None, str, str, str]] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    # Where this gateway files card data (its module's `cards`): cut before anything lands.
    cards: CardRules | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.cards is None:
            module = gateway_modules().get(self.gateway)
            self.cards = module.cards if module is not None else NO_CARDS

    def __len__(self) -> int:
        return len(self.ids) + len(self.quarantined)

    def add(
        self,
        obj: dict[str, Any],
        version_at: int,
        *,
        created: int | None = None,
        object_id: str | None = None,
    ) -> str | None:
        """A validated object; within a batch the newest version of an id wins. `created`
        and `object_id` from its envelope (default: the object's own `created` and `id`).
        Card details are cut before the hash. Returns None, or why the object was
        quarantined instead (NUL_REASON)."""
        raw = orjson.dumps(obj)
        if self.cards.needs_scrub(raw):
            raw = orjson.dumps(self.cards.scrub(obj))
        if holds_nul(raw):
            self.add_quarantined(obj, NUL_REASON)
            return NUL_REASON
        object_id = obj["id"] if object_id is None else object_id
        created = obj["created"] if created is None else created
        at = self._index.get(object_id)
        if at is not None:
            if version_at <= self.version_at[at]:
                return None
            self.payloads[at], self.hashes[at] = raw.decode(), payload_hash(raw)
            self.created[at], self.version_at[at] = created, version_at
            return None
        self._index[object_id] = len(self.ids)
        self.ids.append(object_id)
        self.created.append(created)
        self.payloads.append(raw.decode())
        self.hashes.append(payload_hash(raw))
        self.version_at.append(version_at)
        return None

    def seen_ids(self) -> list[str]:
        return self.ids + [q[0] for q in self.quarantined if q[0] is not None]

    def add_quarantined(self, obj: Any, reason: str) -> None:
        raw = orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
        if self.cards.needs_scrub(raw):
            raw = orjson.dumps(self.cards.scrub(obj), option=orjson.OPT_NON_STR_KEYS)
        object_id = obj.get("id") if isinstance(obj, dict) else None
        object_id = object_id if isinstance(object_id, str) else None
        self.quarantined.append((object_id, reason, raw.decode(), payload_hash(raw)))
