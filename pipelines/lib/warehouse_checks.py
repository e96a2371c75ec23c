"""Asset checks that read the warehouse's own bookkeeping (DuckDB or PostgreSQL)."""

import dagster as dg
import duckdb

from pipelines.lib.resources import LedgerdeskSettings
from pipelines.lib.warehouse import writer_lock


def quarantine_check(gateway: str, entity: str) -> dg.AssetChecksDefinition:
    """Passes when no object of this entity sits in quarantine; lists a few that do."""

    @dg.asset_check(
        asset=dg.AssetKey([gateway, entity]),
        name="quarantine_empty",
        description=f"No {gateway} {entity} object failed to parse and waits in quarantine.",
    )
    def _check(ledgerdesk: LedgerdeskSettings) -> dg.AssetCheckResult:
        rows = quarantined(ledgerdesk.load(), gateway, entity)
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "quarantined": len(rows),
                "examples": "\n".join(f"{a} {o}: {r}" for a, o, r in rows[:10]) or "none",
            },
        )

    return _check


QUARANTINED = (
    "select account_id, object_id, reason from ledgerdesk.quarantine "
    "where gateway = {p} and entity = {p} order by last_seen_at desc"
)


def quarantined(settings, gateway: str, entity: str) -> list[tuple]:
    """(account_id, object_id, reason) of the entity's quarantined objects, newest first, in
    the warehouse warehouse.engine names."""
    if settings.engine == "postgres":
        import psycopg

        with psycopg.connect(settings.postgres.dsn()) as conn:
            return conn.execute(QUARANTINED.format(p="%s"), [gateway, entity]).fetchall()
    with writer_lock(settings.warehouse_path):
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        try:
            return con.sql(QUARANTINED.format(p="?"), params=[gateway, entity]).fetchall()
        finally:
            con.close()
