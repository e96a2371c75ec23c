"""The code location loads as `dagster dev -w workspace.yaml` loads it, and its graph is one
connected whole from the extraction assets through dbt to the published snapshot."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml

from gateways.registry import gateway_modules
from pipelines.definitions import defs

ROOT_KEYS = [
    dg.AssetKey([m.name, entity]) for m in gateway_modules().values() for entity in m.entities
]


def test_workspace_names_this_module():
    workspace = yaml.safe_load(Path("workspace.yaml").read_text())
    assert workspace["load_from"][0]["python_module"]["module_name"] == "pipelines.definitions"


def test_one_connected_graph_from_extraction_to_the_snapshot():
    graph = defs.resolve_asset_graph()
    for key in ROOT_KEYS:
        children = graph.get(key).child_keys
        assert any(c.path[-1].startswith("stg_") for c in children), (
            f"{key.to_user_string()} feeds no dbt staging model"
        )
    snapshot = dg.AssetKey(["published", "marts_snapshot"])
    ancestors = set(graph.upstream_key_iterator(snapshot))
    fct_payments = next(k for k in ancestors if k.path[-1] == "fct_payments")
    assert dg.AssetKey(["stripe", "charges"]) in set(graph.upstream_key_iterator(fct_payments))


def test_jobs_schedule_and_sensors():
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"extract", "transform"}
    schedule = defs.resolve_schedule_def("hourly_extract")
    assert schedule.cron_schedule == "0 * * * *"
    assert schedule.job_name == "extract"
    sensors = {s.name for s in defs.sensors}
    assert {"transform_after_extract", "transform_after_failed_extract"} <= sensors


def test_the_weekly_full_refresh_asks_the_dbt_step_for_one():
    """Its run config must be one the transform job accepts, naming the dbt step's field
    (a typo in the op name or the field would fail only on Sunday)."""
    schedule = defs.resolve_schedule_def("weekly_full_refresh")
    assert schedule.job_name == "transform"
    job = defs.resolve_job_def("transform")
    [request] = schedule.evaluate_tick(dg.build_schedule_context()).run_requests
    assert request.run_config == {
        "ops": {"ledgerdesk_dbt_models": {"config": {"full_refresh": True}}}
    }
    dg.validate_run_config(job, request.run_config)  # raises on a config the job refuses


def test_quarantine_checks_on_every_extraction_asset():
    checks = {key for c in defs.asset_checks for key in c.check_keys}
    for key in ROOT_KEYS:
        assert dg.AssetCheckKey(key, "quarantine_empty") in checks


def test_dbt_tests_are_asset_checks_on_their_models():
    checks = {key for c in defs.asset_checks for key in c.check_keys} | {
        key for a in defs.assets if hasattr(a, "check_keys") for key in a.check_keys
    }
    by_asset = {(k.asset_key.path[-1], k.name) for k in checks}
    # A warning (accepted values) and a blocking key test, both shown by Dagster.
    assert (
        "stg_stripe__charges",
        "accepted_values_stg_stripe__charges_status__succeeded__pending__failed",
    ) in by_asset
    assert ("fct_payments", "unique_fct_payments_payment_id") in by_asset
