"""The published snapshot of the marts that dashboards read (see pipelines/lib/publish.py),
with the data-quality state of the build behind it (pipelines/lib/data_quality.py). Only for
DuckDB: with warehouse.engine postgres the step publishes nothing and says so in its
metadata, since the dashboards read PostgreSQL directly."""

import dagster as dg
import duckdb
from dagster import AssetExecutionContext

from pipelines.defs.transform import ledgerdesk_dbt_models
from pipelines.lib.publish import publish_marts, snapshot_path
from pipelines.lib.resources import LedgerdeskSettings
from pipelines.lib.warehouse import writer_lock


def _mart_keys() -> list[dg.AssetKey]:
    """Every dbt model in the marts group, as the dbt assets define them (no names by hand)."""
    specs = ledgerdesk_dbt_models.specs_by_key
    return sorted(
        (key for key, spec in specs.items() if spec.group_name == "marts"),
        key=lambda key: key.to_user_string(),
    )


@dg.asset(
    key=["published", "marts_snapshot"],
    deps=_mart_keys(),
    group_name="serving",
    kinds={"duckdb"},
    description="Read-only copy of every mart, swapped in atomically, that the dashboards read.",
)
def marts_snapshot(context: AssetExecutionContext, ledgerdesk: LedgerdeskSettings):
    settings = ledgerdesk.load()
    if settings.engine != "duckdb":
        # PostgreSQL serves many readers while a run writes: the dashboards read its marts
        # directly (dashboards/data.py), so there is nothing to publish.
        why = f"warehouse.engine is {settings.engine}: the dashboards read the marts there"
        context.log.info(f"nothing published: {why}")
        return dg.MaterializeResult(
            metadata={"engine": settings.engine, "published": f"nothing ({why})"}
        )
    with writer_lock(settings.warehouse_path):
        rows = publish_marts(settings.warehouse_path, settings.published_dir)
    context.log.info(f"published {len(rows)} marts to {snapshot_path(settings.published_dir)}")
    # Warnings do not stop publishing: the snapshot carries them (marts._data_quality) and
    # the pages show them.
    with duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True) as con:
        warned = con.sql(
            "select count(*) from marts._data_quality where status in ('warn', 'fail')"
        ).fetchall()[0][0]
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(snapshot_path(settings.published_dir))),
            "data_quality.warnings": warned,
            **{f"rows.{table}": count for table, count in rows.items()},
        }
    )


def definitions() -> dg.Definitions:
    return dg.Definitions(assets=[marts_snapshot])
