"""The one extraction runner: one entity of one account into raw_<gateway>.<entity>, over the
seam (gateways/base.py), whatever the gateway.

First run (or full refresh): take the change feed's baseline (when the entity has one), list
every object, saving a resume token with each batch; the cursor keeps the highest time landed
(`created`, or the update time of an `updated_asc` listing). Incremental run: list since that
mark minus the overlap (the entity's `overlap_seconds`, else the account's lookback), reaching
further back to the oldest landed row still open (`reopen_while`), then apply the change feed
from its saved position: changed objects land newest-version-wins, deleted ones as tombstones.
A feed last read longer ago than the gateway keeps changes is stale: the entity is listed in
full again, also in the middle of a resumed listing. A full listing marks every id it sees
with its start (`listed_at`) and, when it completes, removes the rows it never saw (unless
`prune_unlisted` is off). An endpoint the server does not offer lands nothing.

Every batch (rows, quarantine, cursor) is one transaction (landing.py): a run killed anywhere
and rerun gives the clean run's warehouse. Pages are read one ahead (read_ahead.py, its thread
ended before the run returns or raises); batches land on the warehouse's writer (lander.py),
the same for every engine (engines/: DuckDB, PostgreSQL, Spark).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from gateways.base import (
    RELIST,
    ChangeCursor,
    ChangePage,
    EntitySpec,
    GatewayModule,
    Page,
    ReadCursor,
    has_change_feed,
)
from gateways.errors import GatewayNotFoundError, GatewayRequestError, GatewayUnsupportedError
from ledgerdesk.config import GatewayAccount
from pipelines.extract.base import DAY, EntityCursor, ExtractResult, Resume
from pipelines.extract.batch import LandingBatch
from pipelines.extract.engines import Target, WarehouseWriter, as_target, warehouse_writer
from pipelines.extract.lander import Lander
from pipelines.extract.read_ahead import read_ahead

BATCH_OBJECTS = 5_000  # objects per transaction: amortizes the commit, bounds memory


def extract_entity(
    module: GatewayModule,
    account: GatewayAccount,
    entity: str,
    warehouse: Target | Path,
    *,
    full_refresh: bool = False,
    reader: Any = None,
    log: Callable[[str], None] = print,
    now: Callable[[], int] = lambda: int(time.time()),
    batch_objects: int = BATCH_OBJECTS,
) -> ExtractResult:
    """Extract `entity` of `account` through `module` into `warehouse` (a Target of any
    engine, or a DuckDB file's path); a reader is built and closed here unless one is given.
    Gateway errors propagate (401/403 fail the entity), except an endpoint the server does
    not offer: a warning, nothing landed, no cursor saved."""
    try:
        spec = module.entities[entity]
    except KeyError:
        known = sorted(module.entities)
        raise ValueError(f"unknown {module.name} entity {entity!r}; known: {known}") from None
    own_reader = reader is None
    reader = reader if reader is not None else module.reader(account)
    try:
        with warehouse_writer(as_target(warehouse)) as writer:
            run = _Run(module.name, account, spec, reader, log, batch_objects, writer)
            try:
                return run.extract(full_refresh, now)
            finally:
                run.lander.abandon()
    finally:
        if own_reader:
            reader.close()


class _Run:
    def __init__(
        self,
        gateway: str,
        account: GatewayAccount,
        spec: EntitySpec,
        reader: Any,
        log: Callable[[str], None],
        batch_objects: int,
        writer: WarehouseWriter,
    ) -> None:
        self.gateway, self.account, self.spec, self.writer = gateway, account, spec, writer
        self.reader, self.log, self.batch_objects = reader, log, batch_objects
        self.feed = spec.uses_change_feed and has_change_feed(reader)
        self.result = ExtractResult(entity=spec.name, account=account.name)
        self.lander = Lander(gateway, account, spec, writer, self.result, log)

    def extract(self, full_refresh: bool, now: Callable[[], int]) -> ExtractResult:
        saved = self.writer.read_cursor(self.gateway, self.account.name, self.spec.name)
        try:
            cursor = self.plan(EntityCursor.from_json(saved), full_refresh, now)
            cursor = self.list_objects(cursor)
            if self.feed:
                cursor = self.apply_changes(cursor, now())
            self.lander.settle()
            self.result.cursor = cursor.to_json()
        except GatewayUnsupportedError as exc:
            self.lander.settle()  # an older API has no such endpoint (invoice_payments < 2025):
            self.log(  # nothing to land, nothing wrong with the account, no cursor saved
                f"WARNING {self.account.label}, {self.spec.name}: not offered by this server,"
                f" nothing landed: {exc}"
            )
        return self.result

    def plan(
        self, saved: EntityCursor | None, full_refresh: bool, now: Callable[[], int]
    ) -> EntityCursor:
        """The cursor this run starts from; a fresh one (with the feed's baseline) is full."""
        if saved is not None and not full_refresh:
            if not self._stale(saved, now()):  # a resumed listing too: its changes may be gone
                return saved
            self.log(
                f"WARNING {self.account.label}, {self.spec.name}: change feed last read more "
                f"than {self._retention() // DAY} days ago, longer than the gateway keeps "
                "changes: full re-list"
            )
        baseline = self._baseline() if self.feed else None
        return EntityCursor(events_after=baseline, events_checked_at=now(), resume=None)

    def _retention(self) -> int | None:
        retention = getattr(self.reader, "change_retention_seconds", None)
        return retention(self.spec.name) if callable(retention) else None

    def _stale(self, saved: EntityCursor, at: int) -> bool:
        retention = self._retention() if self.feed else None
        checked = saved.events_checked_at or saved.events_after
        return retention is not None and checked is not None and at - checked > retention

    def _baseline(self) -> int:
        """The feed's position now (ChangeCursor(after=None) applies nothing), so a full
        listing's changes made while it runs are applied after it."""
        position = 0
        for page in self.reader.changes(self.spec.name, ChangeCursor(after=None)):
            position = page.position
        return position or 0

    # --- the listing ---
    def list_objects(self, cursor: EntityCursor) -> EntityCursor:
        """List from the cursor (minus the overlap) or the resume point, in the entity's order.

        A listing without a lower bound is full: each id it sees is marked listed_at = its
        start (kept in the resume point, so a killed run resumed later still counts what it
        saw), and its last batch removes the rows it never saw."""
        if cursor.resume is not None:
            bound, after = cursor.resume.created_gte, cursor.resume.starting_after
            high = cursor.resume.high_water
            started = cursor.resume.listing_started_at
        else:
            last = cursor.created_gte
            overlap = self.spec.overlap_seconds
            overlap = self.account.lookback_days * DAY if overlap is None else overlap
            # A `relist` entity is listed whole on every run (and the listing prunes).
            relist = self.spec.changes == RELIST
            bound = None if last is None or relist else max(0, last - overlap)
            bound = self._reach_open_rows(bound)
            after, high, started = None, last, None
        full = bound is None and self.spec.prune_unlisted
        batch = self.lander.batch()
        with closing(self._listing(bound, after)) as pages:  # its thread ends on the way out
            for page in pages:
                if full and started is None and after is None:
                    started = page.fetched_at  # the gateway's clock, as version_at is
                self.result.pages += 1
                self.result.objects_seen += len(page.objects)
                for obj in page.objects:
                    moved = self.lander.take(batch, obj, page.fetched_at)
                    if moved is not None and (high is None or moved > high):
                        high = moved
                if page.has_more and page.resume and len(batch) >= self.batch_objects:
                    resume = Resume(page.resume, bound, high, started)
                    batch.listed_at = started if full else None
                    self.lander.hand_over(batch, replace(cursor, resume=resume), "listing")
                    batch = self.lander.batch()
        done = replace(cursor, created_gte=high, resume=None)
        if full and started is not None:
            batch.listed_at = batch.prune_before = started
        self.lander.hand_over(batch, done, "listing")
        return done

    def _reach_open_rows(self, bound: int | None) -> int | None:
        """Reach back to the oldest landed row that may still change unseen (reopen_while:
        a balance transaction still pending, no event will say it became available)."""
        if bound is None or self.spec.reopen_while is None:
            return bound
        field, values = self.spec.reopen_while
        oldest = self.writer.oldest_open_created(
            self.gateway, self.account.name, self.spec.name, field, values
        )
        return bound if oldest is None else min(bound, oldest)

    def _listing(self, bound: int | None, after: str | None) -> Iterator[Page]:
        """Pages from the resume point; if the gateway refuses the token (Stripe: 404, the
        object it names is gone), the window again from its start. Close it when done."""
        pages = read_ahead(self.reader.read(self.spec.name, ReadCursor(bound, after)))
        with closing(pages):
            try:
                yield next(pages)
            except StopIteration:
                return
            except (GatewayNotFoundError, GatewayRequestError) as exc:
                if after is None or isinstance(exc, GatewayUnsupportedError):
                    raise
                self.log(f"WARNING resume point {after} is gone ({exc}): listing the window again")
            else:
                yield from pages
                return
        yield from read_ahead(self.reader.read(self.spec.name, ReadCursor(bound, None)))

    # --- the change feed ---
    def apply_changes(self, cursor: EntityCursor, started_at: int) -> EntityCursor:
        """Land what the feed says changed since its saved position: objects newest version
        wins, deletions as tombstones. The position moves with the last batch only."""
        position = cursor.events_after
        batch = self.lander.batch()
        changed = self.reader.changes(self.spec.name, ChangeCursor(after=cursor.events_after))
        with closing(read_ahead(changed)) as pages:  # its thread ends on the way out
            for page in pages:
                position = page.position
                self._take_changes(batch, page)
                if len(batch) >= self.batch_objects:
                    self.lander.hand_over(batch, None, "changes")
                    batch = self.lander.batch()
        done = replace(cursor, events_after=position, events_checked_at=started_at)
        self.lander.hand_over(batch, done, "changes")
        return done

    def _take_changes(self, batch: LandingBatch, page: ChangePage) -> None:
        self.result.pages += 1
        for object_id, created in page.deleted.items():
            stone = self.spec.tombstone(object_id)
            batch.add(stone, page.fetched_at, created=created or 0, object_id=object_id)
        self.result.objects_reread += len(page.objects)
        for obj in page.objects:
            self.lander.take(batch, obj, page.fetched_at)
