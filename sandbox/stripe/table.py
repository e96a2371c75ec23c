"""One entity's objects in Stripe's list order, each kept as pre-rendered JSON bytes.

Objects are stored oldest first (ascending `created`, ties by insertion sequence) so that new
objects append and positions stay stable; a Stripe list (newest first) is read backwards. A page
is a slice of positions: bisect on `created` for the date filters, a dict id -> position for the
cursors, and per-field position lists for the filters (`customer`, `status`, `type`, ...).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson

FieldKey = Callable[[dict], str | None]


@dataclass(frozen=True)
class Page:
    ids: list[str]
    blobs: list[bytes]
    has_more: bool


class EntityTable:
    def __init__(self, fields: dict[str, FieldKey] | None = None) -> None:
        self.fields = fields or {}
        self.ids: list[str] = []
        self.created: list[int] = []
        self.blobs: list[bytes] = []
        self.pos: dict[str, int] = {}
        self.keys: list[dict[str, str | None]] = []
        self.index: dict[str, dict[str, list[int]]] = {name: {} for name in self.fields}

    def __len__(self) -> int:
        return len(self.ids)

    def load(self, objects: Iterable[dict]) -> None:
        """Replace the contents; objects may come in any order (sorted here, stable)."""
        ordered = sorted(objects, key=lambda o: o.get("created") or 0)
        self.ids = [o["id"] for o in ordered]
        self.created = [o.get("created") or 0 for o in ordered]
        self.blobs = [orjson.dumps(o) for o in ordered]
        self.keys = [self._keys_of(o) for o in ordered]
        self._reindex()

    def _keys_of(self, obj: dict) -> dict[str, str | None]:
        return {name: key(obj) for name, key in self.fields.items()}

    def _reindex(self) -> None:
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("duplicate object ids in one entity")
        self.pos = {object_id: i for i, object_id in enumerate(self.ids)}
        self.index = {name: {} for name in self.fields}
        for i, keys in enumerate(self.keys):
            for name, value in keys.items():
                if value is not None:
                    self.index[name].setdefault(value, []).append(i)

    def get(self, object_id: str) -> bytes | None:
        i = self.pos.get(object_id)
        return None if i is None else self.blobs[i]

    def remove(self, object_id: str) -> None:
        """Take one object out (a deletion); positions after it shift down by one."""
        i = self.pos[object_id]
        for column in (self.ids, self.created, self.blobs, self.keys):
            del column[i]
        self._reindex()

    def add(self, obj: dict) -> None:
        created = obj["created"]
        if self.created and created < self.created[-1]:
            # Older than the newest: rare (history is generated in order); rebuild positions.
            i = bisect_right(self.created, created)
            self.ids.insert(i, obj["id"])
            self.created.insert(i, created)
            self.blobs.insert(i, orjson.dumps(obj))
            self.keys.insert(i, self._keys_of(obj))
            self._reindex()
            return
        if obj["id"] in self.pos:
            raise ValueError(f"duplicate object id {obj['id']}")
        # `ids` grows last: a reader bounded by len(ids) never sees a half-added object.
        i = len(self.ids)
        keys = self._keys_of(obj)
        self.blobs.append(orjson.dumps(obj))
        self.created.append(created)
        self.keys.append(keys)
        self.ids.append(obj["id"])
        self.pos[obj["id"]] = i
        for name, value in keys.items():
            if value is not None:
                self.index[name].setdefault(value, []).append(i)

    def replace(self, obj: dict) -> None:
        """Re-render one changed object in place (its `created` does not change)."""
        i = self.pos[obj["id"]]
        self.blobs[i] = orjson.dumps(obj)
        new_keys = self._keys_of(obj)
        for name, value in new_keys.items():
            old = self.keys[i][name]
            if old == value:
                continue
            if old is not None:
                positions = self.index[name][old]
                del positions[bisect_left(positions, i)]
            if value is not None:
                insort(self.index[name].setdefault(value, []), i)
        self.keys[i] = new_keys

    def candidates(self, name: str, values: list[str]) -> list[int]:
        """Positions whose field `name` is one of `values`, ascending."""
        index = self.index[name]
        if len(values) == 1:
            return index.get(values[0], [])
        return sorted({i for v in values for i in index.get(v, [])})

    def page(
        self,
        limit: int,
        *,
        positions: list[int] | None = None,
        created_range: tuple[int | None, int | None] = (None, None),
        starting_after: int | None = None,
        ending_before: int | None = None,
    ) -> Page:
        """Newest-first page. `positions` restricts to a filtered subset (ascending)."""
        lo, hi = 0, len(self.ids)
        gte, lte = created_range
        if gte is not None:
            lo = bisect_left(self.created, gte)
        if lte is not None:
            hi = bisect_right(self.created, lte)
        if starting_after is not None:
            hi = min(hi, starting_after)
        if ending_before is not None:
            lo = max(lo, ending_before + 1)
        if positions is None:
            first, last = lo, max(lo, hi)
        else:
            first, last = bisect_left(positions, lo), bisect_left(positions, hi)
            last = max(first, last)
        if ending_before is not None:
            stop = min(last, first + limit)
            chosen = range(stop - 1, first - 1, -1)
            has_more = stop < last
        else:
            start = max(first, last - limit)
            chosen = range(last - 1, start - 1, -1)
            has_more = start > first
        picked = chosen if positions is None else [positions[k] for k in chosen]
        ids, blobs = self.ids, self.blobs
        return Page([ids[i] for i in picked], [blobs[i] for i in picked], has_more)
