"""Land batches of raw objects in the warehouse: one Arrow insert and one transaction per batch.

Each batch upserts its rows (newest version wins; a row is rewritten only when its payload
changed and the incoming version is not older), records quarantined objects, clears the
quarantine of ids that now land clean, and saves the cursor, all in one transaction: a crash
loses nothing and duplicates nothing. Every read and write of this process goes through the
file's one writer (writer.py), which keeps a connection while work comes and holds the file
lock (`<warehouse>.lock`) meanwhile, so extraction processes fetch in parallel and take turns
writing (DuckDB allows one writing process per file). `land_into` is the job; `land_batch`
the same, waited for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa

from pipelines.extract import statements as sql
from pipelines.extract.batch import LandingBatch
from pipelines.extract.schema import ensure_bookkeeping, ensure_raw_table
from pipelines.extract.statements import DUCKDB
from pipelines.extract.tables import (
    landing_writer,
    oldest_open_created,
    prepare_tables,
    raw_table,
    read_cursor,
    warehouse_connection,
)

# Callers name these through landing, where batches go.
__all__ = [
    "LandingCounts",
    "land_batch",
    "land_into",
    "landing_writer",
    "oldest_open_created",
    "prepare_tables",
    "raw_table",
    "read_cursor",
    "warehouse_connection",
]


@dataclass(frozen=True)
class LandingCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    removed: int = 0  # rows a completed full listing no longer saw

    def __add__(self, other: LandingCounts) -> LandingCounts:
        return LandingCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.quarantined + other.quarantined,
            self.removed + other.removed,
        )


def land_batch(warehouse_path: Path, batch: LandingBatch) -> LandingCounts:
    """Write one batch (rows, quarantine, cursor) in one transaction; counts of what changed."""
    with landing_writer(warehouse_path) as writer:
        return writer.call(lambda con: land_into(con, batch))


def land_into(con: duckdb.DuckDBPyConnection, batch: LandingBatch) -> LandingCounts:
    """`land_batch` on the writer's connection: the job a fetch thread submits. (The SQL is
    every engine's, statements.py; engines/postgres.py holds the same transaction.)"""
    table = raw_table(batch.gateway, batch.entity)
    key = [batch.gateway, batch.account_id, batch.entity]
    ensure_bookkeeping(con)
    ensure_raw_table(con, table)
    con.begin()
    try:
        counts = _upsert_rows(con, table, batch)
        _quarantine(con, key, batch)
        removed = _mark_listed_and_prune(con, table, batch)
        if batch.cursor is not None:
            con.execute(sql.save_cursor(DUCKDB), [*key, orjson.dumps(batch.cursor).decode()])
        if counts[0] + counts[1] + removed:
            con.execute(sql.bump_generation(DUCKDB), [table])
            con.execute(sql.keep_stamp(DUCKDB), [table])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return LandingCounts(*counts, quarantined=len(batch.quarantined), removed=removed)


def _upsert_rows(con: duckdb.DuckDBPyConnection, table: str, batch: LandingBatch) -> tuple:
    if not batch.ids:
        return 0, 0, 0
    incoming = pa.table(
        {
            "account_id": pa.array([batch.account_id] * len(batch.ids), pa.string()),
            "id": pa.array(batch.ids, pa.string()),
            "created": pa.array(batch.created, pa.int64()),
            "payload": pa.array(batch.payloads, pa.string()),
            "payload_hash": pa.array(batch.hashes, pa.string()),
            "version_at": pa.array(batch.version_at, pa.int64()),
        }
    )
    con.register("incoming", incoming)
    try:
        inserted, updated = con.execute(sql.count_changes(table)).fetchone()
        con.execute(sql.upsert(table, DUCKDB))
        con.execute(
            sql.clear_quarantine_of_incoming(DUCKDB),
            [batch.gateway, batch.account_id, batch.entity],
        )
    finally:
        con.unregister("incoming")
    return inserted, updated, len(batch.ids) - inserted - updated


def _mark_listed_and_prune(con: duckdb.DuckDBPyConnection, table: str, batch: LandingBatch) -> int:
    """Mark the ids a full listing saw; at its end remove the rows it did not see (deleted
    on the gateway, or tombstones of them), except rows landed since the listing began."""
    seen = batch.seen_ids()
    if batch.listed_at is not None and seen:
        con.register("seen", pa.table({"id": pa.array(seen, pa.string())}))
        try:
            con.execute(sql.mark_listed(table, DUCKDB), [batch.listed_at, batch.account_id])
        finally:
            con.unregister("seen")
    if batch.prune_before is None:
        return 0
    removed = con.execute(
        sql.prune(table, DUCKDB), [batch.account_id, batch.prune_before, batch.prune_before]
    ).fetchall()
    con.execute(
        sql.clear_quarantine_of_ids(DUCKDB),
        [batch.gateway, batch.account_id, batch.entity, [r[0] for r in removed]],
    )
    return len(removed)


def _quarantine(con: duckdb.DuckDBPyConnection, key: list[str], batch: LandingBatch) -> None:
    for quarantined in batch.quarantined:
        con.execute(sql.quarantine(DUCKDB), [*key, *quarantined])
