"""Fixtures for testing the dbt project: a raw Stripe warehouse in a temporary directory,
loaded by plain inserts from the sandbox's rendered objects (not through the extraction code),
and a runner for the venv's own dbt with LEDGERDESK_WAREHOUSE pointing at it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox.business import Business, generate
from sandbox.stripe.render import render_business
from tests.dbt.raw_warehouse import as_extracted, load_raw_stripe

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
SEED, SCALE = 42, 0.1  # about 1,400 charges, with won and lost disputes in three currencies


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    output: str
    target_dir: Path


# dbt parses the whole project again (seconds of CPU) unless its target holds the parse state
# of the same project files, vars and profile: each run starts from the last run's state in
# this process (dbt checks it, so a stale one costs only the full parse), and the warehouse is
# named relative to dbt's working directory, so the profile is the same for every run.
# Kept per project and target (a PostgreSQL run's state would cost DuckDB's runs the full parse).
PARSE_STATE: dict[tuple[Path, bool], bytes] = {}


def run_dbt(
    args: list[str],
    warehouse: Path,
    work_dir: Path,
    project_dir: Path = PROJECT_DIR,
    env: dict[str, str] | None = None,
) -> DbtRun:
    """Run the real dbt CLI on the project (or a copy of it); target and logs go under
    work_dir, not into git. `env`: more variables (the PostgreSQL target's LEDGERDESK_PG_*)."""
    target, logs = work_dir / "target", work_dir / "logs"
    state, key = target / "partial_parse.msgpack", (project_dir, "--target" in args)
    if key in PARSE_STATE and not state.exists():
        target.mkdir(parents=True, exist_ok=True)
        state.write_bytes(PARSE_STATE[key])
    env = {
        "PATH": str(DBT.parent),
        "HOME": str(work_dir),
        "LEDGERDESK_WAREHOUSE": os.path.relpath(warehouse, work_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    proc = subprocess.run(
        [str(DBT), *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
         "--target-path", str(target), "--log-path", str(logs)],
        cwd=work_dir, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if state.exists():
        PARSE_STATE[key] = state.read_bytes()
    return DbtRun(proc.returncode, proc.stdout + proc.stderr, target)


@pytest.fixture(scope="session")
def sandbox_business() -> Business:
    """The whole business, every customer relabelled as on Stripe (it is rendered as one
    Stripe account below), with its totals computed again: what the warehouse can observe is
    Stripe's (a dispute's closing only through its event)."""
    from sandbox.business.totals import compute_totals

    business = generate(seed=SEED, scale=SCALE)
    for customer in business.customers:
        customer.gateway = "stripe"
    business.totals = compute_totals(business)
    return business


@pytest.fixture(scope="session")
def rendered_objects(sandbox_business: Business) -> dict[str, list[dict]]:
    """The whole business (every gateway's customers) rendered as one Stripe account, so that
    identity matching has the generator's cross-gateway people to find. Stripe carries a
    person's external id in `metadata.external_id` (the plan's identifiers); until the
    Stripe renderer writes it, it is set here from the neutral customer, nothing else."""
    objects = as_extracted(render_business(sandbox_business))
    for neutral, rendered in zip(sandbox_business.customers, objects["customers"], strict=True):
        metadata = rendered.get("metadata")
        if neutral.external_id and isinstance(metadata, dict):
            metadata.setdefault("external_id", neutral.external_id)
    return objects


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory, rendered_objects) -> tuple[Path, DbtRun]:
    """A raw warehouse of the rendered sandbox business, after a full `dbt build`."""
    work = tmp_path_factory.mktemp("dbt_build")
    warehouse = work / "warehouse.duckdb"
    load_raw_stripe(warehouse, rendered_objects)
    return warehouse, run_dbt(["build"], warehouse, work)


@pytest.fixture(scope="session")
def edge_warehouse(tmp_path_factory) -> tuple[Path, DbtRun]:
    """The hand-written account of tests/dbt/edge_cases.py after a full `dbt build`."""
    from tests.dbt.edge_cases import edge_case_objects

    work = tmp_path_factory.mktemp("dbt_edge")
    warehouse = work / "warehouse.duckdb"
    load_raw_stripe(warehouse, edge_case_objects())
    return warehouse, run_dbt(["build"], warehouse, work)


@pytest.fixture(scope="session")
def edge(edge_warehouse):
    import duckdb

    warehouse, run = edge_warehouse
    assert run.returncode == 0, run.output[-6000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()
