"""The extraction assets and their quarantine checks, materialized by Dagster in process
against the sandbox: a malformed charge is quarantined and reported, the rest lands."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.defs.extract import ACCOUNTS_CHECK
from pipelines.defs.extract import definitions as extract_definitions
from pipelines.lib.resources import LedgerdeskSettings
from sandbox.stripe.faults import AMOUNT_AS_STRING, FaultPlan
from tests.conftest import write_config

CHARGES = dg.AssetKey(["stripe", "charges"])


def materialize_only(key: dg.AssetKey, config, instance=None):
    """The extraction step for one asset, with its checks, as Dagster runs it."""
    area = extract_definitions()
    checks = [c for c in area.asset_checks if key in {k.asset_key for k in c.check_keys}]
    return dg.materialize(
        [*area.assets, *checks],
        selection=[key],
        resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
        instance=instance or dg.DagsterInstance.ephemeral(),
    )


def checks_named(result, name: str) -> list:
    return [e for e in result.get_asset_check_evaluations() if e.check_name == name]


def test_a_malformed_charge_is_quarantined_and_the_check_reports_it(
    sandbox, store, tmp_path, monkeypatch
):
    broken = store.tables["charges"].ids[:2]
    plan = FaultPlan()
    plan.malform(broken, AMOUNT_AS_STRING)
    sandbox.faults = plan
    monkeypatch.setenv("LEDGERDESK_E2E_STRIPE_KEY", "sk_test_ledgerdesk_sandbox")
    config = write_config(tmp_path, sandbox.url)

    result = materialize_only(CHARGES, config)

    assert result.success
    (evaluation,) = checks_named(result, "quarantine_empty")
    assert not evaluation.passed
    assert evaluation.metadata["quarantined"].value == 2
    assert "expected integer minor units" in evaluation.metadata["examples"].value
    assert [e.passed for e in checks_named(result, ACCOUNTS_CHECK)] == [True]
    (materialization,) = result.asset_materializations_for_node("extract_stripe")
    assert materialization.asset_key == CHARGES
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
        instance = dg.DagsterInstance.ephemeral()
        result = materialize_only(key, config, instance)
    finally:
        server.shutdown()
        server.server_close()

    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    logs = [e.message for e in instance.all_logs(result.run_id) if e.message]
    assert any("invoice_payments: not offered by this server, nothing landed" in m for m in logs), (
        logs
    )
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.sql("select count(*) from raw_stripe.invoice_payments").fetchall() == [(0,)]
    finally:
        con.close()


def test_an_account_with_a_wrong_key_fails_only_its_own_work(sandbox, store, tmp_path, monkeypatch):
    """Two accounts of one sandbox read side by side: `wrong` (a key the server refuses)
    fails, named in the check; `main` lands everything and the asset still materializes."""
    monkeypatch.setenv("LEDGERDESK_E2E_STRIPE_KEY", "sk_test_ledgerdesk_sandbox")
    monkeypatch.setenv("LEDGERDESK_WRONG_KEY", "sk_test_wrong_wrong_wrong")
    config = write_config(tmp_path, sandbox.url)
    config.write_text(
        config.read_text() + "  - {gateway: stripe, name: wrong, "
        f"api_key_env: LEDGERDESK_WRONG_KEY, api_base: '{sandbox.url}'}}\n"
    )
    result = materialize_only(CHARGES, config)

    assert result.success  # the step: what landed is materialized
    (evaluation,) = checks_named(result, ACCOUNTS_CHECK)
    assert not evaluation.passed
    assert evaluation.metadata["failed_accounts"].value == "stripe account 'wrong'"
    assert "stripe account 'wrong', charges" in evaluation.metadata["errors"].value
    assert "HTTP 401" in evaluation.metadata["errors"].value
    assert "wrong_wrong" not in evaluation.metadata["errors"].value  # scrubbed
    (materialization,) = result.asset_materializations_for_node("extract_stripe")
    assert materialization.metadata["main.inserted"].value == store.count("charges")
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    try:
        landed = con.sql("select account_id, count(*) from raw_stripe.charges group by 1")
        assert landed.fetchall() == [("main", store.count("charges"))]
    finally:
        con.close()
