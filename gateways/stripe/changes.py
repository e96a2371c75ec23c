"""Stripe's change feed: events as signals of which objects changed, re-read in our version.

An event's `data.object` is a snapshot in the API version of the event's time
(`event.api_version`), which may be older than the one the extractor pins, so it is never
landed as the object. The events only name the objects that changed; each is read again by
id (GET /v1/<entity>/<id>) in the pinned version and lands with version_at = the time it was
served. `<object>.deleted` (customer.deleted, invoice.deleted), a deleted stub or a 404
resource_missing on retrieve are deletions (the runner lands a tombstone).
`customer.subscription.deleted` is not one: it is a cancellation, and the subscription is
still there to read. The feed's position is the `created` of the newest event seen; a read
reaches EVENT_OVERLAP_SECONDS behind it, because an event can become visible after newer ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gateways.base import ChangeCursor, ChangePage
from gateways.stripe.entities import StripeEntity

if TYPE_CHECKING:
    from gateways.stripe.gateway import StripeGateway

EVENT_OVERLAP_SECONDS = 10 * 60  # an event may become visible after newer ones: read again
EVENTS_KEPT_SECONDS = 29 * 86_400  # Stripe keeps events 30 days; one day of margin
REREAD_THREADS = 4
REREAD_CHUNK = 500  # objects re-read per change page


@dataclass
class Signals:
    """What this entity's events since the cursor said: ids that changed, ids deleted."""

    newest: int  # `created` of the newest event seen (the next cursor)
    changed: dict[str, int | None] = field(default_factory=dict)  # id -> created, if known
    deleted: dict[str, int | None] = field(default_factory=dict)
    pages: int = 0
    served_at: int = 0  # when the gateway served the last events page (tombstones' version)


def changes(gw: StripeGateway, spec: StripeEntity, cursor: ChangeCursor) -> Iterator[ChangePage]:
    """The change feed of one entity: with no position yet, one empty page at the newest
    event (the baseline a full listing starts from); else the deletions the events name,
    then the changed objects read again by id, a page per chunk."""
    if cursor.after is None:
        newest = gw.newest_event_created(entity=spec.name)
        yield ChangePage([], {}, newest or 0, int(gw.now()))
        return
    signals = read_signals(gw, spec, cursor.after)
    yield ChangePage([], signals.deleted, signals.newest, signals.served_at)
    ids = list(signals.changed)
    for start in range(0, len(ids), REREAD_CHUNK):
        chunk = ids[start : start + REREAD_CHUNK]
        objects: list[Any] = []
        deleted: dict[str, int | None] = {}
        served: list[int] = []
        for object_id, obj, served_at in reread(gw, spec, chunk):
            served.append(served_at)
            if is_deleted(obj):
                deleted[object_id] = signals.changed[object_id]
            else:
                objects.append(obj)
        # The earliest answer of the chunk: no object claims to be newer than it is.
        yield ChangePage(objects, deleted, signals.newest, min(served))


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
    if not signals.served_at:
        signals.served_at = int(gw.now())
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


def is_deleted(obj: dict[str, Any] | None) -> bool:
    return obj is None or obj.get("deleted") is True
