"""The published marts that dashboards read, with the data-quality state of the build behind
them (pipelines/lib/data_quality.py), stamped with that build's id: on DuckDB a snapshot file
(pipelines/lib/publish.py), on PostgreSQL the schema `serving` swapped in one transaction
(pipelines/lib/publish_postgres.py), on Spark the same DuckDB snapshot made from Spark's
Parquet files (pipelines/lib/publish_spark.py)."""

import dagster as dg
import duckdb
from dagster import AssetExecutionContext

from pipelines.defs.transform import dbt_manifest, kept_state, ledgerdesk_dbt_models, transform_lock
from pipelines.extract.engines.spark import spark_dir
from pipelines.lib import publish_spark, raw_watermark
from pipelines.lib.publish import publish_marts, snapshot_path
from pipelines.lib.publish_postgres import SERVING, publish_postgres
from pipelines.lib.resources import LedgerdeskSettings


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
    kinds={"duckdb", "postgres", "spark"},
    description="Read-only copy of every mart, swapped in atomically, that the dashboards read.",
)
def marts_snapshot(context: AssetExecutionContext, ledgerdesk: LedgerdeskSettings):
    settings = ledgerdesk.load()
    # No transform between reading the build's id and copying its marts.
    with transform_lock(settings):
        build = raw_watermark.recorded_build(kept_state(settings))
        if build is None:
            # A transform started since the one this run waited for (it forgot the record
            # as it began) and failed, or none ever succeeded: the marts may be half built.
            raise dg.Failure(
                description="no successful dbt build is recorded (the last one failed, or "
                "none ran): nothing is published, and readers keep what they were served"
            )
        if settings.engine == "postgres":
            rows = publish_postgres(settings.postgres.dsn(), build)
        elif settings.engine == "spark":
            manifest = dbt_manifest()
            rows = publish_spark.publish_spark_marts(
                spark_dir(settings.warehouse_path),
                settings.published_dir,
                publish_spark.mart_contracts(manifest),
                publish_spark.duckdb_macros(manifest),
                build=build,
            )
        else:
            rows = publish_marts(settings.warehouse_path, settings.published_dir, build=build)
    if settings.engine == "postgres":
        context.log.info(f"published {len(rows)} marts to the schema {SERVING}")
        return dg.MaterializeResult(
            metadata={
                "engine": "postgres",
                "schema": SERVING,
                "build": build or "",
                **{f"rows.{table}": count for table, count in rows.items()},
            }
        )
    context.log.info(f"published {len(rows)} marts to {snapshot_path(settings.published_dir)}")
    # Warnings do not stop publishing: the snapshot carries them (marts._data_quality) and
    # the pages show them.
    with duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True) as con:
        warned = con.sql(
            "select count(*) from marts._data_quality where status in ('warn', 'fail')"
        ).fetchall()[0][0]
    return dg.MaterializeResult(
        metadata={
            "engine": settings.engine,
            "path": dg.MetadataValue.path(str(snapshot_path(settings.published_dir))),
            "data_quality.warnings": warned,
            "build": build or "",
            **{f"rows.{table}": count for table, count in rows.items()},
        }
    )


def definitions() -> dg.Definitions:
    return dg.Definitions(assets=[marts_snapshot])
