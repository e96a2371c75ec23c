"""The pipeline's transform step (Dagster's dbt assets, then publishing) run twice on the
hand-written account of tests/dbt/edge_cases.py plus what real data has (`warning_objects()`):
one build whose data only warns, then one with a broken key (the charge ch_e7 without its
status). One session build shared by the data-quality tests (tests/dbt/test_data_quality.py:
what the build recorded) and the Dagster tests (tests/pipelines/test_end_to_end.py: asset
checks, publishing, the stale stamp): the same input through the same path, built once.
Registered by tests/conftest.py, which keeps its tests on one worker (SHARED_BUILDS)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="session")
def dagster_transform(tmp_path_factory, e2e_env):
    """{settings, warned, broken (Dagster results), first (the warned run's published_at),
    warned_warehouse (a copy of the warehouse as the warned build left it)}."""
    import dagster as dg
    from dagster_dbt import DbtCliResource

    from ledgerdesk.config import load_settings
    from pipelines.defs.publish import marts_snapshot
    from pipelines.defs.transform import ledgerdesk_dbt_models
    from pipelines.lib.dbt_project import dbt_project
    from pipelines.lib.publish import snapshot_path
    from pipelines.lib.resources import LedgerdeskSettings
    from tests.conftest import write_config
    from tests.dbt.edge_cases import warning_objects
    from tests.dbt.raw_warehouse import load_raw_stripe

    folder = tmp_path_factory.mktemp("dagster_transform")
    config = write_config(folder, "http://127.0.0.1:9")
    settings = load_settings(config, e2e_env)
    resources = {
        "dbt": DbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
        ),
        "ledgerdesk": LedgerdeskSettings(config_path=str(config)),
    }
    assets = [ledgerdesk_dbt_models, marts_snapshot]
    warned_warehouse = folder / "warned.duckdb"
    saved = dict(os.environ)  # the dbt step exports LEDGERDESK_WAREHOUSE for dbt
    try:
        settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        load_raw_stripe(settings.warehouse_path, warning_objects())
        warned = dg.materialize(assets, resources=resources, raise_on_error=False)
        shutil.copyfile(settings.warehouse_path, warned_warehouse)  # closed: no WAL left
        with duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True) as con:
            first = con.sql("select published_at from marts._published").fetchall()
        with duckdb.connect(str(settings.warehouse_path)) as con:
            # synced_at moves as the landing moves it on every change (without it the
            # transform sees no raw row changed and skips the build: raw_watermark.py).
            con.sql(
                "update raw_stripe.charges set payload = json_merge_patch(payload, "
                "'{\"status\": null}'), synced_at = current_timestamp where id = 'ch_e7'"
            )
        broken = dg.materialize(assets, resources=resources, raise_on_error=False)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {
        "settings": settings,
        "warned": warned,
        "broken": broken,
        "first": first,
        "warned_warehouse": warned_warehouse,
    }
