"""A published snapshot of the hand-written account (tests/dbt/edge_cases.py), built by the
real dbt project and published by the real publishing code, with the objects of
`warning_objects()` that make the build warn, and a hand-written second gateway
(second_gateway.py) on which one person also pays."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipelines.lib.data_quality import build_state, record_build
from pipelines.lib.publish import publish_marts
from tests.dashboards import second_gateway
from tests.dbt.conftest import run_dbt
from tests.dbt.edge_cases import warning_objects
from tests.dbt.raw_warehouse import load_raw_stripe

KEY_ENV = "LEDGERDESK_DASHBOARD_TEST_KEY"


def write_config(folder: Path, published_dir: Path) -> Path:
    path = folder / "ledgerdesk.yaml"
    path.write_text(
        f"warehouse:\n  path: {folder / 'warehouse.duckdb'}\n  published_dir: {published_dir}\n"
        "accounts:\n"
        f"  - {{gateway: stripe, name: main, api_key_env: {KEY_ENV}, default_currency: USD}}\n"
    )
    return path


@pytest.fixture(scope="session")
def warned_build(tmp_path_factory):
    """(warehouse, dbt run, published dir) after `dbt build`, recording and publishing."""
    work = tmp_path_factory.mktemp("dash_edge")
    warehouse = work / "warehouse.duckdb"
    objects = warning_objects()
    for entity, rows in second_gateway.stripe_objects().items():
        objects[entity] = [*objects[entity], *rows]
    load_raw_stripe(warehouse, objects)
    project, cli_vars = second_gateway.project_with_second_gateway(work)
    run = run_dbt(["build", "--vars", cli_vars], warehouse, work, project)
    results = json.loads((run.target_dir / "run_results.json").read_text())
    manifest = json.loads((run.target_dir / "manifest.json").read_text())
    record_build(warehouse, build_state(results, manifest, run.returncode == 0))
    published = work / "published"
    if run.returncode == 0:
        publish_marts(warehouse, published)
    return warehouse, run, published


@pytest.fixture
def dashboard_env(warned_build, tmp_path):
    """LEDGERDESK_CONFIG pointing at the published snapshot; the key variable set."""
    _, run, published = warned_build
    assert run.returncode == 0, run.output[-4000:]
    saved = dict(os.environ)
    os.environ["LEDGERDESK_CONFIG"] = str(write_config(tmp_path, published))
    os.environ[KEY_ENV] = "sk_test_unused_by_the_dashboards"
    os.environ.pop("LEDGERDESK_WAREHOUSE", None)
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)
