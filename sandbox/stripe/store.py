"""The objects the Stripe sandbox serves, pre-rendered, and the few mutations writes make.

Reads are lock-free list/dict lookups on `EntityTable`s; every mutation takes `lock`, so a
write and a page assembled in another thread never see half an update.
"""

from __future__ import annotations

import gc
import hashlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from sandbox.stripe import versions
from sandbox.stripe.entities import ENTITIES, SUBLISTS, SubListKind
from sandbox.stripe.table import EntityTable

DEFAULT_ACCOUNT_ID = "acct_1LdgrDskSandbox0"
API_VERSION = "2026-10-28.endive"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


EMBEDDED_PAGE = 10  # an embedded list (invoice lines, subscription items) shows the first 10
# Fields Stripe leaves out unless `expand[]` asks (the pinned version's includable fields).
INCLUDABLE = {
    "invoices": ("payments",),
    "charges": ("refunds",),
    "customers": ("sources", "subscriptions", "tax_ids", "cash_balance", "invoice_credit_balance"),
}


class SubList:
    """One parent's children (invoice lines, ...) in the parent's own order, not by time."""

    def __init__(self, children: Sequence[dict]) -> None:
        self.ids = [child["id"] for child in children]
        self.blobs = [orjson.dumps(child) for child in children]
        self.pos = {child_id: i for i, child_id in enumerate(self.ids)}


InvoiceLines = SubList  # the name before credit notes and subscription items shared it


class StripeStore:
    def __init__(
        self,
        objects: Mapping[str, Sequence[dict]],
        *,
        clock: Callable[[], int] | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        id_seed: str = "sandbox",
    ) -> None:
        unknown = set(objects) - set(ENTITIES) - {s.child for s in SUBLISTS} - {"deleted"}
        if unknown:
            raise ValueError(f"unknown Stripe entities: {sorted(unknown)}")
        self.lock = threading.RLock()
        self.clock = clock or (lambda: int(time.time()))
        self.account_id = account_id
        self._id_seed = id_seed
        self._id_counter = 0
        self.changes = 0  # writes so far: derived answers (older versions) refresh on change
        self.tables: dict[str, EntityTable] = {}
        # Millions of small containers: the cyclic GC would rescan them all, over and over.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            objects, by_parents = _prepared(objects)
            self.sublists: dict[str, dict[str, SubList]] = {}
            self.children: dict[str, dict[str, bytes]] = {}  # child entity -> id -> blob
            for sub in SUBLISTS:
                by_parent = by_parents[sub.child]
                self.sublists[sub.parent] = {p: SubList(c) for p, c in by_parent.items()}
                self.children[sub.child] = {
                    cid: blob
                    for lst in self.sublists[sub.parent].values()
                    for cid, blob in zip(lst.ids, lst.blobs, strict=True)
                }
            # Deleted objects leave the tables; `deleted` remembers them for retrieve.
            self.deleted: dict[str, set[str]] = {
                name: set(ids) for name, ids in (objects.get("deleted") or {}).items()
            }
            for name, entity in ENTITIES.items():
                gone = self.deleted.get(name, set())
                rows = objects.get(name, ())
                table = EntityTable(entity.filters)
                table.load([o for o in rows if o["id"] not in gone] if gone else rows)
                self.tables[name] = table
        finally:
            if was_enabled:
                gc.enable()
        self.invoice_lines = self.sublists["invoices"]
        self.history_end = max((t.created[-1] for t in self.tables.values() if len(t)), default=0)

    @classmethod
    def from_business(cls, business: Any, account: str = "sandbox", **kwargs: Any) -> StripeStore:
        """Serve the business's share on Stripe account `account` (its customers only)."""
        from sandbox.stripe.render import render_account

        return cls(render_account(business, account), **kwargs)

    def count(self, entity: str) -> int:
        return len(self.tables[entity])

    def retrieve(self, entity: str, object_id: str) -> bytes | None:
        return self.tables[entity].get(object_id)

    def is_deleted(self, entity: str, object_id: str) -> bool:
        return object_id in self.deleted.get(entity, ())

    def delete(self, entity: str, object_id: str) -> None:
        """Hide `object_id` from lists and retrieve (callers hold `lock`)."""
        with self.lock:
            self.changes += 1
            self.tables[entity].remove(object_id)
            self.deleted.setdefault(entity, set()).add(object_id)

    def load(self, entity: str, object_id: str) -> dict | None:
        """The object as a fresh dict, to change and `save`."""
        blob = self.tables[entity].get(object_id)
        return None if blob is None else orjson.loads(blob)

    # Mutations: callers hold `lock` around read-modify-write sequences.
    def now(self) -> int:
        """Creation time for new objects: the clock, but never inside the generated history."""
        return max(int(self.clock()), self.history_end + 1)

    def new_id(self, prefix: str) -> str:
        with self.lock:
            while True:
                self._id_counter += 1
                digest = hashlib.sha256(f"{self._id_seed}:{self._id_counter}".encode()).digest()
                number = int.from_bytes(digest[:16], "big")
                tail = "".join(_ALPHABET[(number >> (6 * k)) % 62] for k in range(20))
                candidate = f"{prefix}_1Sbx{tail}"
                if not any(candidate in t.pos for t in self.tables.values()):
                    return candidate

    def insert(self, entity: str, obj: dict) -> bytes:
        with self.lock:
            self.changes += 1
            self.tables[entity].add(obj)
            return self.tables[entity].get(obj["id"])  # type: ignore[return-value]

    def save(self, entity: str, obj: dict) -> bytes:
        with self.lock:
            self.changes += 1
            self.tables[entity].replace(obj)
            return self.tables[entity].get(obj["id"])  # type: ignore[return-value]

    def emit(
        self,
        event_type: str,
        obj: dict,
        *,
        previous: dict | None = None,
        request_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict:
        """Record an event whose `data.object` is a snapshot of `obj` as it is now."""
        data: dict[str, Any] = {"object": obj}
        if previous is not None:
            data["previous_attributes"] = previous
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "account": self.account_id,
            "api_version": API_VERSION,
            "context": None,
            "created": self.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 0,
            "request": {"id": request_id, "idempotency_key": idempotency_key},
            "type": event_type,
        }
        self.insert("events", event)
        return event


def _collect(objects: Mapping[str, Sequence[dict]], sub: SubListKind) -> dict[str, list[dict]]:
    """Each parent's children: from the flat child list when given, else embedded (whole)."""
    by_parent: dict[str, list[dict]] = {}
    if sub.child in objects and sub.parent_key:
        for obj in objects[sub.child]:
            by_parent.setdefault(obj[sub.parent_key], []).append(obj)
        return by_parent
    for obj in objects.get(sub.parent, ()):
        embedded = obj.get(sub.field)
        if isinstance(embedded, dict):
            by_parent[obj["id"]] = list(embedded.get("data") or [])
    return by_parent


def _prepared(
    objects: Mapping[str, Sequence[dict]],
) -> tuple[dict[str, Any], dict[str, dict[str, list[dict]]]]:
    """The rendered objects as Stripe answers them by default.

    Includable fields (`invoice.payments`, `charge.refunds`) leave the stored object; when the
    renderer gives no `invoice_payments` they come from the invoices' `payments`. Embedded
    lists keep their first `EMBEDDED_PAGE` children, `has_more` saying whether there are more.
    Events older than the pinned version get `data.object` in their own version's shape.
    """
    out: dict[str, Any] = dict(objects)
    invoices = list(objects.get("invoices", ()))
    if "invoice_payments" not in objects:
        out["invoice_payments"] = [
            p for inv in invoices for p in ((inv.get("payments") or {}).get("data") or [])
        ]
    by_parents = {sub.child: _collect(objects, sub) for sub in SUBLISTS}
    for name, fields in INCLUDABLE.items():
        if name in objects:
            out[name] = [_stripped(o, fields) for o in objects[name]]
    for sub in SUBLISTS:
        out.pop(sub.child, None)
        if sub.parent in out:
            out[sub.parent] = [_trimmed(o, sub.field) for o in out[sub.parent]]
    events = objects.get("events", ())
    relations = None
    if any(versions.older(e.get("api_version") or API_VERSION, API_VERSION) for e in events):
        relations = versions.Relations(objects)
    if events:
        out["events"] = [_event(e, relations) for e in events]
    return out, by_parents


def _stripped(obj: dict, fields: tuple[str, ...]) -> dict:
    present = [f for f in fields if f in obj]
    if not present:
        return obj
    out = obj.copy()
    for f in present:
        del out[f]
    return out


def _trimmed(obj: dict, field: str) -> dict:
    embedded = obj.get(field)
    if not isinstance(embedded, dict) or len(embedded.get("data") or ()) <= EMBEDDED_PAGE:
        return obj
    data = embedded["data"]
    return {**obj, field: {**embedded, "data": data[:EMBEDDED_PAGE], "has_more": True}}


def _event(event: dict, relations: versions.Relations | None) -> dict:
    """An event's `data.object` as Stripe sends it: no includable fields, in its version."""
    obj = event["data"]["object"]
    kind = obj.get("object", "")
    fields = INCLUDABLE.get(_OBJECT_ENTITY.get(kind, ""), ())
    new = _stripped(obj, fields)
    version = event.get("api_version") or API_VERSION
    if relations is not None and versions.older(version, API_VERSION):
        new = versions.downgrade(kind, new, version, relations.of(kind, new))
    if new is obj:
        return event
    return {**event, "data": {**event["data"], "object": new}}


_OBJECT_ENTITY = {e.object: e.name for e in ENTITIES.values()}
