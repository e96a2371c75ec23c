"""Extract one Stripe entity of one account into raw_stripe.<entity>, incrementally.

First run (or full refresh): note the newest event as the events baseline, list every object
newest first, saving a resume token with each batch; when the listing ends, the cursor keeps
the highest `created` landed. Incremental run: list objects created since that mark minus the
account's lookback, then apply this entity's events newer than the last one applied (changes
to old objects: a refund ten days later) by re-reading the objects they name
(pipelines/extract/stripe_events.py). Stripe keeps events 30 days: a cursor whose feed was
last read longer ago than that falls back to a full re-list, even in the middle of a listing.
A full listing, when it completes, removes the raw rows of objects it did not see (deleted on
the gateway). An endpoint the server does not offer (an older API version) lands nothing.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from gateways.base import Page, ReadCursor
from gateways.errors import GatewayNotFoundError, GatewayRequestError, GatewayUnsupportedError
from gateways.stripe import StripeGateway
from gateways.stripe.entities import StripeEntity
from ledgerdesk.config import GatewayAccount
from pipelines.extract.base import DAY, EVENTS_KEPT_DAYS, EntityCursor, ExtractResult, Resume
from pipelines.extract.batch import LandingBatch
from pipelines.extract.landing import land_batch, oldest_open_created, read_cursor
from pipelines.extract.stripe_events import is_deleted, read_signals, reread, tombstone
from pipelines.extract.validate import problem_with

GATEWAY = "stripe"
BATCH_OBJECTS = 5_000  # objects per transaction: amortizes the commit, bounds memory


def extract_stripe_entity(
    account: GatewayAccount,
    entity: str,
    warehouse_path: Path,
    *,
    full_refresh: bool = False,
    gateway: StripeGateway | None = None,
    log: Callable[[str], None] = print,
    now: Callable[[], int] = lambda: int(time.time()),
    batch_objects: int = BATCH_OBJECTS,
) -> ExtractResult:
    spec = StripeGateway.entity(entity)
    gw = gateway or StripeGateway(account)
    run = _Run(account, spec, Path(warehouse_path), gw, log, batch_objects)
    try:
        saved = EntityCursor.from_json(read_cursor(run.warehouse, GATEWAY, account.name, entity))
        cursor = _plan(saved, full_refresh, spec, gw, log, now, account)
        cursor = run.list_objects(cursor, account.lookback_days)
        if spec.event_types:
            cursor = run.apply_events(cursor, now())
        run.result.cursor = cursor.to_json()
        return run.result
    except GatewayUnsupportedError as exc:
        # An older API version has no such endpoint (/v1/invoice_payments before 2025):
        # nothing to land, and nothing wrong with this account; the cursor stays unsaved.
        log(f"WARNING {account.label}, {entity}: not offered by this server, nothing landed: {exc}")
        return run.result
    finally:
        if gateway is None:
            gw.close()


def _plan(
    saved: EntityCursor | None,
    full_refresh: bool,
    spec: StripeEntity,
    gw: StripeGateway,
    log: Callable[[str], None],
    now: Callable[[], int],
    account: GatewayAccount,
) -> EntityCursor:
    """The cursor this run starts from; a fresh one (with an events baseline) means full."""
    if saved is not None and not full_refresh:
        checked = saved.events_checked_at or saved.events_after
        stale = checked is not None and now() - checked > EVENTS_KEPT_DAYS * DAY
        if not (spec.event_types and stale):  # a resumed listing too: its events may be gone
            return saved
        log(
            f"WARNING {account.label}, {spec.name}: events feed last read more than "
            f"{EVENTS_KEPT_DAYS} days ago; Stripe keeps 30 days of events: full re-list"
        )
    baseline = gw.newest_event_created(entity=spec.name) if spec.event_types else None
    return EntityCursor(events_after=baseline or 0, events_checked_at=now(), resume=None)


class _Run:
    def __init__(
        self,
        account: GatewayAccount,
        spec: StripeEntity,
        warehouse: Path,
        gw: StripeGateway,
        log: Callable[[str], None],
        batch_objects: int,
    ) -> None:
        self.account, self.spec, self.warehouse, self.gw = account, spec, warehouse, gw
        self.log, self.batch_objects = log, batch_objects
        self.result = ExtractResult(entity=spec.name, account=account.name)
        self._quarantined: set[str] = set()  # listed and re-read: one object counts once

    def _batch(self) -> LandingBatch:
        return LandingBatch(GATEWAY, self.account.name, self.spec.name)

    def _land(self, batch: LandingBatch, cursor: EntityCursor | None, what: str) -> int:
        batch.cursor = cursor.to_json() if cursor is not None else None
        counts = land_batch(self.warehouse, batch)
        r = self.result
        r.inserted += counts.inserted
        r.updated += counts.updated
        r.unchanged += counts.unchanged
        r.quarantined = len(self._quarantined)
        r.removed += counts.removed
        removed = f", {counts.removed} no longer listed removed" if counts.removed else ""
        self.log(
            f"{self.account.label}, {self.spec.name}: landed {what} batch of {len(batch)}: "
            f"{counts.inserted} new, {counts.updated} updated, {counts.unchanged} unchanged, "
            f"{counts.quarantined} quarantined{removed}"
        )
        return counts.inserted + counts.updated

    def _take(self, batch: LandingBatch, obj: Any, version_at: int) -> int | None:
        """Add a clean object (returns its created) or quarantine it (returns None)."""
        reason = problem_with(self.spec, obj)
        if reason is None:
            batch.add(obj, version_at)
            return obj["created"]
        batch.add_quarantined(obj, reason)
        object_id = obj.get("id") if isinstance(obj, dict) else None
        self._quarantined.add(object_id if isinstance(object_id, str) else reason)
        self.log(f"{self.account.label}: quarantined {reason}")
        return None

    def list_objects(self, cursor: EntityCursor, lookback_days: int) -> EntityCursor:
        """List from the cursor (minus the lookback) or the resume point, newest first.

        A listing without a lower bound is full: each id it sees is marked listed_at = its
        start (kept in the resume point, so a killed run resumed later still counts what it
        saw), and its last batch removes the rows it never saw."""
        if cursor.resume is not None:
            bound, after, high = (
                cursor.resume.created_gte,
                cursor.resume.starting_after,
                cursor.resume.high_water,
            )
            started = cursor.resume.listing_started_at
        else:
            last = cursor.created_gte
            overlap = self.spec.overlap_seconds
            overlap = lookback_days * DAY if overlap is None else overlap
            bound = None if last is None else max(0, last - overlap)
            bound = self._reach_open_rows(bound)
            after, high, started = None, last, None
        full = bound is None and self.spec.prune_unlisted
        batch = self._batch()
        for page in self._listing(bound, after):
            if full and started is None and after is None:
                started = page.fetched_at  # the gateway's clock, as version_at is
            self.result.pages += 1
            self.result.objects_seen += len(page.objects)
            for obj in page.objects:
                created = self._take(batch, obj, page.fetched_at)
                if created is not None and (high is None or created > high):
                    high = created
            if page.has_more and page.resume and len(batch) >= self.batch_objects:
                resume = Resume(page.resume, bound, high, started)
                batch.listed_at = started if full else None
                self._land(batch, replace(cursor, resume=resume), "listing")
                batch = self._batch()
        done = replace(cursor, created_gte=high, resume=None)
        if full and started is not None:
            batch.listed_at = batch.prune_before = started
        self._land(batch, done, "listing")
        return done

    def _reach_open_rows(self, bound: int | None) -> int | None:
        """Reach back to the oldest landed row that may still change unseen (reopen_while:
        a balance transaction still pending, no event will say it became available)."""
        if bound is None or self.spec.reopen_while is None:
            return bound
        field, values = self.spec.reopen_while
        oldest = oldest_open_created(
            self.warehouse, GATEWAY, self.account.name, self.spec.name, field, values
        )
        return bound if oldest is None else min(bound, oldest)

    def _listing(self, bound: int | None, after: str | None) -> Iterator[Page]:
        """Pages from the resume point; if that object is gone (a deleted customer), Stripe
        answers 404 for `starting_after`: list the window again from its newest end."""
        pages = self.gw.read(self.spec.name, ReadCursor(bound, after))
        if after is None:
            return pages
        try:
            first = next(pages)
        except StopIteration:
            return iter(())
        except GatewayUnsupportedError:
            raise
        except (GatewayNotFoundError, GatewayRequestError) as exc:
            self.log(f"WARNING resume point {after} is gone ({exc}): listing the window again")
            return self.gw.read(self.spec.name, ReadCursor(bound, None))
        return itertools.chain([first], pages)

    def apply_events(self, cursor: EntityCursor, started_at: int) -> EntityCursor:
        """Re-read, in the pinned version, every object this entity's events named since the
        last applied event (minus an overlap); tombstones for the deleted ones. A crash here
        only means reading the events again: the cursor moves with the last batch."""
        signals = read_signals(self.gw, self.spec, cursor.events_after)
        self.result.pages += signals.pages
        batch = self._batch()
        for object_id, created in signals.deleted.items():
            stone = tombstone(self.spec, object_id)
            batch.add(stone, signals.served_at, created=created or 0)
        ids = list(signals.changed)
        for start in range(0, len(ids), self.batch_objects):
            chunk = ids[start : start + self.batch_objects]
            for object_id, obj, served_at in reread(self.gw, self.spec, chunk):
                self.result.objects_reread += 1
                if is_deleted(obj):
                    created = signals.changed[object_id] or 0
                    batch.add(tombstone(self.spec, object_id), served_at, created=created)
                else:
                    self._take(batch, obj, served_at)
            if len(batch) >= self.batch_objects:
                self.result.events_applied += self._land(batch, None, "events")
                batch = self._batch()
        done = replace(cursor, events_after=signals.newest, events_checked_at=started_at)
        self.result.events_applied += self._land(batch, done, "events")
        return done
