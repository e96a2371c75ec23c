"""Stripe events as signals: which objects changed since the cursor, re-read in our version.

An event's `data.object` is a snapshot in the API version of the event's time
(`event.api_version`), which may be older than the one the extractor pins, so it is never
landed as the object. The events only name the objects that changed; each is read again by
id (GET /v1/<entity>/<id>) in the pinned version and lands with version_at = the time it was
served. `<object>.deleted` (customer.deleted, invoice.deleted), a deleted stub or a 404
resource_missing on retrieve land a tombstone `{"id", "object", "deleted": true}`.
`customer.subscription.deleted` is not one: it is a cancellation, and the subscription is
still there to read.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from gateways.stripe import StripeGateway
from gateways.stripe.entities import StripeEntity

EVENT_OVERLAP_SECONDS = 10 * 60  # an event may become visible after newer ones: read again
REREAD_THREADS = 4


@dataclass
class Signals:
    """What this entity's events since the cursor said: ids that changed, ids deleted."""

    newest: int  # `created` of the newest event seen (the next cursor)
    changed: dict[str, int | None] = field(default_factory=dict)  # id -> created, if known
    deleted: dict[str, int | None] = field(default_factory=dict)
    pages: int = 0
    served_at: int = 0  # when the gateway served the last events page (tombstones' version)


def read_signals(gw: StripeGateway, spec: StripeEntity, events_after: int | None) -> Signals:
    since = max(0, events_after - EVENT_OVERLAP_SECONDS) if events_after else None
    signals = Signals(newest=events_after or 0)
    for page in gw.read_events(spec.event_types, since, entity=spec.name):
        signals.pages += 1
        signals.served_at = max(signals.served_at, page.fetched_at)
        for event in page.objects:
            if not isinstance(event, dict) or not isinstance(event.get("created"), int):
                continue
            signals.newest = max(signals.newest, event["created"])
            obj = (event.get("data") or {}).get("object")
            if not isinstance(obj, dict) or obj.get("object") != spec.object:
                continue
            object_id = obj.get("id")
            if not isinstance(object_id, str) or not object_id:
                continue
            created = obj.get("created") if isinstance(obj.get("created"), int) else None
            if event.get("type") == f"{spec.object}.deleted":
                signals.deleted[object_id] = created
                signals.changed.pop(object_id, None)
            elif object_id not in signals.deleted:
                signals.changed.setdefault(object_id, created)
    return signals


def reread(
    gw: StripeGateway, spec: StripeEntity, ids: list[str]
) -> Iterator[tuple[str, dict[str, Any] | None, int]]:
    """(id, the object now or None when Stripe no longer has it, served at), in `ids` order."""
    with ThreadPoolExecutor(REREAD_THREADS, thread_name_prefix=f"reread-{spec.name}") as pool:
        for object_id, (obj, served_at) in zip(
            ids, pool.map(lambda i: gw.retrieve(spec.name, i), ids), strict=True
        ):
            yield object_id, obj, served_at


def tombstone(spec: StripeEntity, object_id: str) -> dict[str, Any]:
    return {"id": object_id, "object": spec.object, "deleted": True}


def is_deleted(obj: dict[str, Any] | None) -> bool:
    return obj is None or obj.get("deleted") is True
