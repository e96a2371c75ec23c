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


def test_an_endpoint_the_server_does_not_offer_leaves_the_asset_green_and_empty(
    tmp_path, monkeypatch
):
    """A server on an older API version answers /v1/invoice_payments as Stripe does for a
    path it does not know; the asset succeeds with an empty raw table and says why.
    (A stand-in server: the sandbox's older-version mode is being built beside this.)"""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import orjson

    class OlderStripe(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0]
            message = f"Unrecognized request URL (GET: {path}). Please see https://stripe.com/docs"
            body = orjson.dumps({"error": {"type": "invalid_request_error", "message": message}})
            status = 404
            if path == "/v1/events":  # an empty feed: only invoice_payments is unknown
                body = orjson.dumps({"object": "list", "data": [], "has_more": False})
                status = 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), OlderStripe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("LEDGERDESK_E2E_STRIPE_KEY", "sk_test_ledgerdesk_sandbox")
        config = write_config(tmp_path, f"http://127.0.0.1:{server.server_address[1]}")
        key = dg.AssetKey(["stripe", "invoice_payments"])
        area = extract_definitions()
        defs = dg.Definitions(
            assets=[a for a in area.assets if key in a.keys],
            asset_checks=[
                c for c in area.asset_checks if key in {k.asset_key for k in c.check_keys}
            ],
            resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
        )
        instance = dg.DagsterInstance.ephemeral()
        result = defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=instance)
    finally:
        server.shutdown()
        server.server_close()

    assert result.success
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.passed
    logs = [e.message for e in instance.all_logs(result.run_id) if e.message]
    assert any("invoice_payments: not offered by this server, nothing landed" in m for m in logs), (
        logs
    )
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.sql("select count(*) from raw_stripe.invoice_payments").fetchall() == [(0,)]
    finally:
        con.close()
