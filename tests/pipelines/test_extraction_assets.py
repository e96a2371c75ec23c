"""The extraction assets and their quarantine checks, materialized by Dagster in process
against the sandbox: a malformed charge is quarantined and reported, the rest lands."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.defs.extract import definitions as extract_definitions
from pipelines.lib.resources import LedgerdeskSettings
from sandbox.stripe.faults import AMOUNT_AS_STRING, FaultPlan
from tests.conftest import write_config

CHARGES = dg.AssetKey(["stripe", "charges"])


def test_a_malformed_charge_is_quarantined_and_the_check_reports_it(
    sandbox, store, tmp_path, monkeypatch
):
    broken = store.tables["charges"].ids[:2]
    plan = FaultPlan()
    plan.malform(broken, AMOUNT_AS_STRING)
    sandbox.faults = plan
    monkeypatch.setenv("LEDGERDESK_E2E_STRIPE_KEY", "sk_test_ledgerdesk_sandbox")
    config = write_config(tmp_path, sandbox.url)

    area = extract_definitions()
    charges_check = [c for c in area.asset_checks if CHARGES in {k.asset_key for k in c.check_keys}]
    defs = dg.Definitions(
        assets=[a for a in area.assets if CHARGES in a.keys],
        asset_checks=charges_check,
        resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
    )
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=dg.DagsterInstance.ephemeral()
    )

    assert result.success
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed
    assert evaluation.metadata["quarantined"].value == 2
    assert "expected integer minor units" in evaluation.metadata["examples"].value
    (materialization,) = result.asset_materializations_for_node("stripe__charges")
    assert materialization.metadata["main.quarantined"].value == 2

    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    try:
        landed = {r[0] for r in con.sql("select id from raw_stripe.charges").fetchall()}
        quarantined = {
            r[0] for r in con.sql("select object_id from ledgerdesk.quarantine").fetchall()
        }
    finally:
        con.close()
    assert quarantined == set(broken)
    assert landed == set(store.tables["charges"].ids) - set(broken)
