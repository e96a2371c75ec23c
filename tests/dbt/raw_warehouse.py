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
    path: Path, objects: dict[str, list[dict]], account_id: str = "main"
) -> dict[str, int]:
    """Create raw_stripe.<entity> tables in the DuckDB file at `path`; return rows per table."""
    now = datetime.now(UTC)
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


def as_extracted(objects: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """What the extractor lands from a rendering that still embeds `invoice.payments`
    (today's sandbox renderer): Stripe sends that list only when expanded, so the raw
    invoices lack it and the payments arrive as their own `invoice_payments` entity."""
    if objects.get("invoice_payments"):
        return objects
    out = dict(objects)
    out["invoice_payments"] = [
        payment
        for invoice in objects.get("invoices", [])
        for payment in (invoice.get("payments") or {}).get("data", [])
    ]
    out["invoices"] = [
        {k: v for k, v in invoice.items() if k != "payments"}
        for invoice in objects.get("invoices", [])
    ]
    return out
