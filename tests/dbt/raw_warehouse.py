"""Build a raw Stripe warehouse (the layout of docs/internals.md) from plain object dicts.

Test-only: plain pyarrow inserts, independent of the extraction code, so the dbt project can
be built and tested on its own.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

RAW_TABLES = (
    "customers",
    "charges",
    "payment_intents",
    "refunds",
    "disputes",
    "subscriptions",
    "invoices",
    "balance_transactions",
    "tax_rates",
    "invoice_payments",
    "credit_notes",
    "events",
)

_DDL = """
create table raw_stripe.{table} (
    account_id varchar not null,
    id varchar not null,
    created bigint,
    payload json not null,
    payload_hash varchar not null,
    version_at bigint not null,
    synced_at timestamptz not null,
    primary key (account_id, id)
)
"""


def load_raw_stripe(
    path: Path,
    objects: dict[str, list[dict]],
    account_id: str = "main",
    synced_at: datetime | None = None,
) -> dict[str, int]:
    """Create raw_stripe.<entity> tables in the DuckDB file at `path`; return rows per table.
    Every row is landed at `synced_at` (default: now)."""
    now = synced_at or datetime.now(UTC)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists raw_stripe")
        for table in RAW_TABLES:
            con.execute(_DDL.format(table=table))
            rows = objects.get(table) or []
            texts = [json.dumps(obj, sort_keys=True) for obj in rows]
            batch = pa.table(
                {
                    "account_id": pa.array([account_id] * len(rows), pa.string()),
                    "id": pa.array([obj["id"] for obj in rows], pa.string()),
                    "created": pa.array([obj.get("created") for obj in rows], pa.int64()),
                    "payload": pa.array(texts, pa.string()),
                    "payload_hash": pa.array(
                        [hashlib.sha256(t.encode()).hexdigest() for t in texts], pa.string()
                    ),
                    "version_at": pa.array([int(now.timestamp())] * len(rows), pa.int64()),
                    "synced_at": pa.array([now] * len(rows), pa.timestamp("us", tz="UTC")),
                }
            )
            con.register("batch", batch)
            con.execute(f"insert into raw_stripe.{table} select * from batch")
            con.unregister("batch")
            counts[table] = len(rows)
    finally:
        con.close()
    return counts


def as_extracted(objects: dict) -> dict[str, list[dict]]:
    """What the extractor lands from a rendered business: objects the rendering marks
    deleted (`"deleted": {entity: [ids]}`) become tombstones; a
    rendering that still embeds `invoice.payments` (sent by Stripe only when expanded)
    lands its invoices without it and the payments as their own `invoice_payments`."""
    out = dict(objects)
    for entity, ids in (objects.get("deleted") or {}).items():
        gone = set(ids)
        out[entity] = [
            {"id": obj["id"], "object": obj.get("object"), "deleted": True}
            if obj["id"] in gone
            else obj
            for obj in out.get(entity, [])
        ]
    if out.get("invoice_payments"):
        return out
    invoices = out.get("invoices", [])
    out["invoice_payments"] = [
        payment
        for invoice in invoices
        for payment in (invoice.get("payments") or {}).get("data", [])
    ]
    out["invoices"] = [{k: v for k, v in inv.items() if k != "payments"} for inv in invoices]
    return out
