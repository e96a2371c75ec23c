"""dbt models as Dagster assets: staging, intermediate and marts, built with `dbt build`
(models and their data tests together; dbt tests become asset checks, the ones real data
can break with WARN severity). Each build's data-quality state is recorded for the
dashboards (pipelines/lib/data_quality.py); a structural failure fails the step, so nothing
is published, and the current snapshot is stamped stale."""

import json
import os
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.extract.engines.spark import spark_dir
from pipelines.lib import dbt_parse_state, publish, publish_postgres, raw_watermark
from pipelines.lib.data_quality import build_state, record_build, record_build_postgres
from pipelines.lib.dbt_project import dbt_project
from pipelines.lib.publish_spark import bookkeeping_path
from pipelines.lib.resources import LedgerdeskSettings
from pipelines.lib.warehouse import postgres_advisory_lock, writer_lock


class LedgerdeskDbtTranslator(DagsterDbtTranslator):
    """Groups models by their folder (staging, intermediate, marts); keys stay dbt's own, so
    `source('stripe', 'charges')` is the asset `[stripe, charges]` the extractor makes."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest.get("nodes", {}).get(unique_id)
        if node is None or node.get("resource_type") not in ("model", "seed", "snapshot"):
            return spec
        fqn = node.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else node.get("resource_type", "dbt")
        return spec.replace_attributes(group_name=layer)


class TransformConfig(dg.Config):
    """Run config of the dbt step: `full_refresh` rebuilds every incremental model from raw
    (also LEDGERDESK_FULL_REFRESH=1; docs/deploy.md)."""

    full_refresh: bool = False


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LedgerdeskDbtTranslator(),
)
def ledgerdesk_dbt_models(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    ledgerdesk: LedgerdeskSettings,
    config: TransformConfig,
):
    settings = ledgerdesk.load()
    # dbt's profiles.yml reads the warehouse path from this one variable, so dbt and the
    # extractors can never write two different files.
    os.environ.update(settings.dbt_env())
    if settings.engine == "spark":  # the landing's Spark dir, dbt's warehouse under it
        os.environ["LEDGERDESK_SPARK_DIR"] = str(spark_dir(settings.warehouse_path))
    # This run's own target folder (as dagster-dbt names one), starting from the parse state
    # of the last run on this warehouse when the project is unchanged (dbt_parse_state.py).
    project_dir, warehouse = Path(dbt_project.project_dir), settings.warehouse_path
    run_name = f"{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}"
    target = project_dir / dbt_project.target_path / run_name
    key = dbt_parse_state.project_key(project_dir, warehouse, settings.dbt_target)
    dbt_parse_state.restore(target, key, warehouse)
    with transform_lock(settings):
        kept, watermark = raw_watermark_of(settings)
        served, marts = served_build(settings), raw_watermark.manifest_marts(dbt_manifest())
        asked = config.full_refresh or _truthy(os.environ.get("LEDGERDESK_FULL_REFRESH"))
        if (
            not asked
            and watermark is not None
            and raw_watermark.unchanged(kept, watermark, key, served, marts)
        ):
            context.log.info("no raw row changed since the last published build: no dbt build")
            return
        # Asked for, or rows built by another project (or by a build not known to succeed).
        # A forced build (LEDGERDESK_ALWAYS_BUILD: no watermark) is full too: it is asked
        # for when raw rows changed without the landing, which an incremental run misses.
        full = asked or watermark is None or raw_watermark.full_refresh_needed(kept, key)
        if full:
            context.log.info("full refresh: every incremental model is built again from raw")
        raw_watermark.forget(kept)  # a build killed midway leaves no claim of being done
        invocation = dbt.cli(
            ["build", "--target", settings.dbt_target]  # warehouse.engine's profile
            + (["--full-refresh"] if full else []),
            context=context,
            raise_on_error=False,
            target_path=target,
        )
        yield from invocation.stream()
        dbt_parse_state.keep(target, key, project_dir, warehouse, settings.dbt_target)
        try:
            run_results = invocation.get_artifact("run_results.json")
        except FileNotFoundError:
            run_results = None
        state = build_state(run_results, invocation.manifest, invocation.is_successful())
        _record(settings, state, context)
        if state.succeeded:  # a forced build too (no watermark): publishing needs its id
            raw_watermark.record(kept, watermark, key, build=run_name)
    warnings = [o for o in state.outcomes if o.status in ("warn", "fail")]
    for outcome in warnings:
        context.log.warning(
            f"data quality: {outcome.check_name} ({outcome.model}): {outcome.failures} rows"
        )
    if not state.succeeded:
        raise dg.Failure(
            description="dbt build failed structurally; nothing is published and the "
            "dashboards say their data is stale: " + (state.message or ""),
        )


def dbt_manifest() -> dict:
    """The manifest the dbt assets were defined from (the models this build makes)."""
    return json.loads(Path(dbt_project.manifest_path).read_text())


def transform_lock(settings):
    """One transform (decision, dbt build, record) or publish at a time per warehouse: on
    DuckDB the writers' file lock (one writing process per file), on PostgreSQL a session
    advisory lock (pipelines/lib/warehouse.py); on Spark the writers' file lock of the DuckDB
    file its build's data-quality state is kept in (publish_spark.bookkeeping_path)."""
    if settings.engine == "duckdb":
        return writer_lock(settings.warehouse_path)
    if settings.engine == "postgres":
        return postgres_advisory_lock(settings.postgres.dsn())
    return writer_lock(spark_bookkeeping(settings))


def spark_bookkeeping(settings) -> Path:
    """Where a Spark build's data-quality state is recorded (then published beside its marts)."""
    return bookkeeping_path(spark_dir(settings.warehouse_path))


def kept_state(settings) -> raw_watermark.State:
    """Where the last successful build's raw watermark is kept."""
    if settings.engine == "postgres":
        return raw_watermark.PostgresState(settings.postgres.dsn())
    return raw_watermark.state_path(settings.warehouse_path, settings.engine)


def served_build(settings) -> str | None:
    """The build id of what readers are served: the DuckDB snapshot's, PostgreSQL's
    serving schema's (pipelines/lib/publish.py, publish_postgres.py); Spark's marts are
    served from a DuckDB snapshot too (publish_spark.py)."""
    if settings.engine == "postgres":
        return publish_postgres.served_build(settings.postgres.dsn())
    return publish.served_build(settings.published_dir)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def raw_watermark_of(settings) -> tuple[raw_watermark.State, dict | None]:
    """Where the last successful build's raw watermark is kept, and this run's, read before
    dbt starts (pipelines/lib/raw_watermark.py); None when the rule is off for this run
    (LEDGERDESK_ALWAYS_BUILD=1) or there is no warehouse yet."""
    engine, kept = settings.engine, kept_state(settings)
    if _truthy(os.environ.get("LEDGERDESK_ALWAYS_BUILD")):
        return kept, None
    if engine == "postgres":
        return kept, raw_watermark.read_postgres(dsn=settings.postgres.dsn())
    if engine == "duckdb" and settings.warehouse_path.is_file():
        return kept, raw_watermark.read_duckdb(settings.warehouse_path)
    return kept, None  # Spark: its raw tables are not read here yet; always build


def _record(settings, state, context: AssetExecutionContext) -> None:
    """The build's data-quality state where the dashboards read it: the DuckDB warehouse
    or Spark's bookkeeping file (then the snapshot: a failed build stamps the current one
    stale), or PostgreSQL."""
    if settings.engine == "postgres":
        record_build_postgres(settings.postgres.dsn(), state)
        return
    spark = settings.engine == "spark"
    record_build(spark_bookkeeping(settings) if spark else settings.warehouse_path, state)
    if not state.succeeded:
        publish.mark_snapshot_stale(settings.published_dir, state)
    context.log.info(f"data quality of the {settings.engine} build recorded")


def definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[ledgerdesk_dbt_models],
        resources={
            # The venv's own dbt, whether or not the venv is activated (STACK.md).
            "dbt": DbtCliResource(
                project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
            )
        },
    )
