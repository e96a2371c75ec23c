"""A pipeline run killed mid-way and then rerun leaves the same warehouse as a clean run; a
rerun with nothing new writes nothing; a refund made on the gateway after a run appears after
the next incremental run. Runs the real launcher (`python -m scripts.pipeline`) as a process,
so the kill is a real SIGKILL, against a sandbox of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import stripe

from ledgerdesk.config import load_settings
from pipelines.lib.publish import snapshot_path
from tests.conftest import SANDBOX_KEY, write_config

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER_EXPORTS = ("LEDGERDESK_CONFIG", "LEDGERDESK_WAREHOUSE", "DAGSTER_HOME")


@pytest.fixture(scope="module")
def sandbox(e2e_business):
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore

    with serve(StripeStore.from_business(e2e_business), api_keys={SANDBOX_KEY: None}) as server:
        yield server


def run_pipeline(config: Path, *args: str, kill_at: str | None = None) -> tuple[int, str]:
    """Run the launcher; with `kill_at`, SIGKILL its whole process group at the first output
    line containing that text. Returns (exit status, output)."""
    # The run's own config decides every path: drop what an in-process run exported.
    env = {k: v for k, v in os.environ.items() if k not in LAUNCHER_EXPORTS}
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "scripts.pipeline", "--config", str(config), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if kill_at and kill_at in line:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=600)
    return proc.returncode, "".join(lines)


def marts_differences(left: Path, right: Path) -> dict[str, int]:
    """Rows in either snapshot's marts that the other lacks, per table (0 = identical), all
    columns but `synced_at`."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as a (read_only)", [str(left)]).fetchall()
        con.execute("attach ? as b (read_only)", [str(right)]).fetchall()
        tables = [
            t
            for (t,) in con.sql(
                "select table_name from information_schema.tables where table_catalog = 'a' "
                "and table_schema = 'marts' and table_name not like '\\_%' escape '\\'"
            ).fetchall()
        ]
        diffs = {}
        for t in tables:
            # `synced_at` says when its raw rows landed (the incremental marts' bookkeeping):
            # two runs land at two times, whatever they landed
            columns = ", ".join(
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_catalog"
                    " = 'a' and table_schema = 'marts' and table_name = ?"
                    " order by ordinal_position",
                    [t],
                ).fetchall()
                if c != "synced_at"
            )
            (n,) = con.sql(
                f"select count(*) from ((select {columns} from a.marts.{t} except all"
                f" select {columns} from b.marts.{t}) union all (select {columns} from"
                f" b.marts.{t} except all select {columns} from a.marts.{t}))"
            ).fetchall()[0]
            diffs[t] = n
        return diffs
    finally:
        con.close()


def killed_then_rerun(config: Path, kill_at: str) -> None:
    status, output = run_pipeline(config, "--full-refresh", kill_at=kill_at)
    assert status == -signal.SIGKILL, output[-3000:]
    status, output = run_pipeline(config)
    assert status == 0, output[-3000:]


@pytest.fixture(scope="module")
def recovered_mid_dbt(sandbox, e2e_env, tmp_path_factory):
    """A warehouse whose first run was killed while dbt rebuilt the marts, then rerun."""
    config = write_config(tmp_path_factory.mktemp("mid_dbt"), sandbox.url)
    killed_then_rerun(config, kill_at="START sql table model marts.")
    return load_settings(config, e2e_env)


def test_killed_mid_dbt_then_rerun_equals_a_clean_run(recovered_mid_dbt, e2e_run):
    clean = snapshot_path(e2e_run["settings"].published_dir)
    diffs = marts_differences(clean, snapshot_path(recovered_mid_dbt.published_dir))
    assert diffs and not any(diffs.values()), diffs


def test_killed_mid_extraction_then_rerun_equals_a_clean_run(sandbox, e2e_run, e2e_env, tmp_path):
    config = write_config(tmp_path, sandbox.url)
    # Dies after the first batches landed, while other entities are still being read.
    killed_then_rerun(config, kill_at="landed listing batch")
    clean = snapshot_path(e2e_run["settings"].published_dir)
    recovered = snapshot_path(load_settings(config, e2e_env).published_dir)
    diffs = marts_differences(clean, recovered)
    assert diffs and not any(diffs.values()), diffs


def raw_state(warehouse: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.sql(
                "select table_name from information_schema.tables where table_schema = 'raw_stripe'"
            ).fetchall()
        ]
        return {
            t: con.sql(f"select count(*), max(synced_at) from raw_stripe.{t}").fetchall()[0]
            for t in tables
        }
    finally:
        con.close()


def test_incremental_runs_write_nothing_new_then_pick_up_a_refund(recovered_mid_dbt, sandbox):
    settings = recovered_mid_dbt
    config = settings.config_path
    before = raw_state(settings.warehouse_path)
    status, output = run_pipeline(config, "--job", "extract")
    assert status == 0, output[-3000:]
    assert raw_state(settings.warehouse_path) == before, "an unchanged gateway rewrote rows"

    con = duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True)
    charge_id, remaining, currency = con.sql(
        "select source_payment_id, amount_captured_minor - amount_refunded_minor, currency "
        "from marts.fct_payments where status = 'succeeded' and amount_refunded_minor = 0 "
        "and not is_disputed order by source_payment_id limit 1"
    ).fetchall()[0]
    con.close()
    client = stripe.StripeClient(
        SANDBOX_KEY, base_addresses={"api": sandbox.url}, max_network_retries=0
    )
    partial = remaining // 3 or 1
    refund = client.v1.refunds.create(params={"charge": charge_id, "amount": partial})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(params={"charge": charge_id, "amount": remaining})

    status, output = run_pipeline(config)
    assert status == 0, output[-3000:]
    con = duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True)
    try:
        assert con.sql(
            "select split_part(payment_id, ':', 3), amount_minor, currency, status "
            "from marts.fct_refunds where source_refund_id = ?",
            params=[refund.id],
        ).fetchall() == [(charge_id, partial, currency, "succeeded")]
        assert con.sql(
            "select amount_refunded_minor from marts.fct_payments where source_payment_id = ?",
            params=[charge_id],
        ).fetchall() == [(partial,)]
    finally:
        con.close()


def test_an_entity_the_key_may_not_read_and_an_account_with_a_wrong_key_fail_alone(
    e2e_business, e2e_env, tmp_path
):
    """Two accounts side by side: `main` with a restricted key (no disputes), `wrong` with a
    key the server refuses. Each fails only its own work, named; the rest lands, dbt builds
    and publishes, and the launcher exits non-zero naming both."""
    from gateways.stripe.entities import ENTITIES
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore

    restricted = "rk_test_ledgerdesk_no_disputes"
    readable = {name for name in ENTITIES if name != "disputes"} | {"events"}
    e2e_env["LEDGERDESK_RESTRICTED_KEY"] = restricted
    e2e_env["LEDGERDESK_WRONG_KEY"] = "sk_test_ledgerdesk_not_a_key_here"
    store = StripeStore.from_business(e2e_business)
    with serve(store, api_keys={restricted: readable}) as server:
        config = write_config(tmp_path, server.url, key_env="LEDGERDESK_RESTRICTED_KEY")
        config.write_text(
            config.read_text()
            + f"  - {{gateway: stripe, name: wrong, api_key_env: LEDGERDESK_WRONG_KEY, "
            f"api_base: '{server.url}'}}\n"
        )
        status, output = run_pipeline(config)
    assert status == 1, output[-3000:]
    assert "stripe account 'main', disputes" in output and "HTTP 403" in output
    assert "FAILED accounts: stripe account 'main' (disputes" in output, output[-3000:]
    assert "stripe account 'wrong' (balance_transactions, charges" in output, output[-3000:]
    assert "HTTP 401" in output
    assert "==> transform: ok" in output, output[-3000:]
    assert restricted not in output, "the key leaked into the log"
    settings = load_settings(config, e2e_env)
    con = duckdb.connect(str(snapshot_path(settings.published_dir)), read_only=True)
    try:
        (payments,) = con.sql("select count(*) from marts.fct_payments").fetchall()[0]
        (disputes,) = con.sql("select count(*) from marts.fct_disputes").fetchall()[0]
        accounts = con.sql("select distinct account_id from marts.fct_payments").fetchall()
    finally:
        con.close()
    assert (payments, disputes) == (e2e_business.totals["counts"]["charges"], 0)
    assert accounts == [("main",)]
