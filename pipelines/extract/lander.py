"""One run's side of landing: objects into batches, each full batch handed to the writer.

A fetch thread used to land its own batches, reading nothing meanwhile; under Stripe's live
limits a whole extraction reached a third of the request ceiling that way. Now a full batch
goes to the warehouse's writer (engines/: whatever the engine) and the listing goes on.
One batch of a run is in flight at a time: the next is handed over only once the previous
has landed (its counts added, its log line written, its error raised here), so one entity's
batches land in order, a batch that fails stops the run before anything after it lands, and
memory holds two batches at most.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from gateways.base import UPDATED_ASC, EntitySpec
from ledgerdesk.config import GatewayAccount
from pipelines.extract.base import EntityCursor, ExtractResult
from pipelines.extract.batch import LandingBatch
from pipelines.extract.engines import WarehouseWriter
from pipelines.extract.landing import LandingCounts


class Lander:
    def __init__(
        self,
        gateway: str,
        account: GatewayAccount,
        spec: EntitySpec,
        writer: WarehouseWriter,
        result: ExtractResult,
        log: Any,
    ) -> None:
        self.gateway, self.account, self.spec = gateway, account, spec
        self.writer, self.result, self.log = writer, result, log
        self._quarantined: set[str] = set()  # listed and re-read: one object counts once
        self._in_flight: tuple[Future, int, str] | None = None

    def batch(self) -> LandingBatch:
        return LandingBatch(self.gateway, self.account.name, self.spec.name)

    def take(self, batch: LandingBatch, obj: Any, version_at: int) -> int | None:
        """Add a clean object (returns its cursor time) or quarantine it (returns None)."""
        reason = self.spec.problem(obj)
        if reason is None:
            env = self.spec.envelope(obj)
            reason = batch.add(env.obj, version_at, created=env.created, object_id=env.id)
            if reason is None:
                return env.cursor_time if self.spec.order == UPDATED_ASC else env.created
        else:
            batch.add_quarantined(obj, reason)
        object_id = obj.get("id") if isinstance(obj, dict) else None
        self._quarantined.add(object_id if isinstance(object_id, str) else reason)
        self.log(f"{self.account.label}: quarantined {reason}")
        return None

    def hand_over(self, batch: LandingBatch, cursor: EntityCursor | None, what: str) -> None:
        """Queue `batch` (with `cursor`, saved in its transaction) once the previous landed.
        `what`: "listing" or "changes" (a changes batch counts its rows as events applied)."""
        batch.cursor = cursor.to_json() if cursor is not None else None
        self.settle()
        future = self.writer.land(batch)
        self._in_flight = (future, len(batch), what)

    def settle(self) -> None:
        """Wait for the batch in flight: count it and log it, or raise what it raised."""
        if self._in_flight is None:
            return
        future, size, what = self._in_flight
        self._in_flight = None
        self._count(future.result(), size, what)

    def abandon(self) -> None:
        """On the way out of a run that failed: the batch in flight lands or not, quietly
        (either leaves a warehouse a rerun goes on from)."""
        if self._in_flight is not None:
            self._in_flight[0].exception()
            self._in_flight = None

    def _count(self, counts: LandingCounts, size: int, what: str) -> None:
        r = self.result
        r.inserted += counts.inserted
        r.updated += counts.updated
        r.unchanged += counts.unchanged
        r.quarantined = len(self._quarantined)
        r.removed += counts.removed
        if what == "changes":
            r.events_applied += counts.inserted + counts.updated
        removed = f", {counts.removed} no longer listed removed" if counts.removed else ""
        self.log(
            f"{self.account.label}, {self.spec.name}: landed {what} batch of {size}: "
            f"{counts.inserted} new, {counts.updated} updated, {counts.unchanged} unchanged, "
            f"{counts.quarantined} quarantined{removed}"
        )
