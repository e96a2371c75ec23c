"""PayPal extraction over the seam, until the one runner (`pipelines/extract/runner.py`) lands:
pages from the reader, validated by the entity spec, landed a page per batch with the cursor
in the same transaction (pipelines/extract/landing.py), so a killed run goes on where it
stopped and a rerun writes nothing it already has.

Cursor per entity: `{"since", "resume", "listing_started"}`. Transactions go on from the newest
landed initiation date minus the account's lookback (Transaction Search is read up to now minus
three hours, so nothing later than the cursor can still appear); the other entities are full
listings each run, pruning what the listing no longer shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from gateways.base import CREATED_ASC, ReadCursor
from gateways.paypal.entities import ENTITIES
from pipelines.extract.batch import LandingBatch, payload_hash
from pipelines.extract.landing import LandingCounts, land_batch, prepare_tables, read_cursor

GATEWAY = "paypal"


@dataclass(frozen=True)
class EntityRun:
    entity: str
    counts: LandingCounts
    pages: int


def extract_entity(
    warehouse: Path, reader: Any, account_id: str, entity: str, *, lookback_seconds: int, now: int
) -> EntityRun:
    spec = ENTITIES[entity]
    prepare_tables(warehouse, GATEWAY, entity)
    saved = read_cursor(warehouse, GATEWAY, account_id, entity) or {}
    incremental = spec.order == CREATED_ASC
    if saved.get("resume"):
        since, started = saved.get("since"), saved.get("listing_started", now)
        cursor = ReadCursor(since=since, resume=saved["resume"])
    else:
        newest = saved.get("newest")
        since = newest - lookback_seconds if incremental and newest is not None else None
        started = now
        cursor = ReadCursor(since=since)
    newest = saved.get("newest")
    counts, pages = LandingCounts(), 0
    for page in reader.read(entity, cursor):
        pages += 1
        batch = LandingBatch(GATEWAY, account_id, entity)
        if not incremental:
            batch.listed_at = started
        for obj in page.objects:
            problem = spec.problem(obj)
            if problem:
                batch.add_quarantined(obj, problem)
                continue
            env = spec.envelope(obj)
            _add(batch, env.id, env.created, obj, page.fetched_at)
            newest = env.created if newest is None else max(newest, env.created)
        done = not page.has_more
        if done and not incremental and spec.prune_unlisted:
            batch.prune_before = started
        batch.cursor = {
            "since": since,
            "resume": None if done else page.resume,
            "listing_started": started,
            "newest": newest,
        }
        counts += land_batch(warehouse, batch)
    return EntityRun(entity, counts, pages)


def _add(batch: LandingBatch, oid: str, created: int, obj: dict, version_at: int) -> None:
    raw = orjson.dumps(obj)
    if oid in batch._index:
        return
    batch._index[oid] = len(batch.ids)
    batch.ids.append(oid)
    batch.created.append(created)
    batch.payloads.append(raw.decode())
    batch.hashes.append(payload_hash(raw))
    batch.version_at.append(version_at)


def extract_account(
    warehouse: Path, reader: Any, account_id: str, *, lookback_seconds: int, now: int
) -> dict[str, EntityRun]:
    return {
        entity: extract_entity(
            warehouse, reader, account_id, entity, lookback_seconds=lookback_seconds, now=now
        )
        for entity in ENTITIES
    }
