"""dbt models as Dagster assets: staging, intermediate and marts, built with `dbt build`
(models and their data tests together; dbt tests become asset checks)."""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.lib.dbt_project import dbt_project
from pipelines.lib.resources import LedgerdeskSettings
from pipelines.lib.warehouse import writer_lock


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


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LedgerdeskDbtTranslator(),
)
def ledgerdesk_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, ledgerdesk: LedgerdeskSettings
):
    settings = ledgerdesk.load()
    # dbt's profiles.yml reads the warehouse path from this one variable, so dbt and the
    # extractors can never write two different files.
    os.environ.update(settings.dbt_env())
    with writer_lock(settings.warehouse_path):
        yield from dbt.cli(["build"], context=context).stream()


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
