"""What every gateway's extractor shares: the saved cursor and the result of one run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DAY = 86_400


@dataclass(frozen=True)
class Resume:
    """Where an interrupted listing goes on: after `starting_after`, same lower bound."""

    starting_after: str
    created_gte: int | None  # the listing's lower bound (None: everything)
    high_water: int | None  # max `created` landed so far by this listing
    # a full listing's start (gateway clock): the ids it saw carry it as listed_at
    listing_started_at: int | None = None


@dataclass(frozen=True)
class EntityCursor:
    """Saved per (gateway, account, entity) in ledgerdesk.cursors, as JSON.

    created_gte: max `created` landed by the last complete listing (the next listing starts
    there minus the lookback). events_after: `created` of the newest event applied (the next
    events read starts there). events_checked_at: when the events feed was last read to its
    end, by our clock: if that is older than the feed's retention, events may have been lost.
    resume: set while a listing is unfinished.
    """

    created_gte: int | None = None
    events_after: int | None = None
    events_checked_at: int | None = None
    resume: Resume | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: Any) -> EntityCursor | None:
        if not isinstance(doc, dict):
            return None
        resume = doc.get("resume")
        return cls(
            created_gte=doc.get("created_gte"),
            events_after=doc.get("events_after"),
            events_checked_at=doc.get("events_checked_at"),
            resume=Resume(**resume) if isinstance(resume, dict) else None,
        )


@dataclass
class ExtractResult:
    entity: str
    account: str
    pages: int = 0
    objects_seen: int = 0  # objects the listing read
    objects_reread: int = 0  # objects read again by id because events named them
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0  # distinct objects quarantined by this run
    events_applied: int = 0  # objects re-read for events that inserted or rewrote a row
    removed: int = 0  # rows a completed full listing did not see (gone from the gateway)
    cursor: dict[str, Any] | None = None
