"""Asset checks that read the warehouse's own bookkeeping."""

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
        settings = ledgerdesk.load()
        with writer_lock(settings.warehouse_path):
            con = duckdb.connect(str(settings.warehouse_path), read_only=True)
            try:
                rows = con.sql(
                    "select account_id, object_id, reason from ledgerdesk.quarantine "
                    "where gateway = ? and entity = ? order by last_seen_at desc",
                    params=[gateway, entity],
                ).fetchall()
            finally:
                con.close()
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "quarantined": len(rows),
                "examples": "\n".join(f"{a} {o}: {r}" for a, o, r in rows[:10]) or "none",
            },
        )

    return _check
