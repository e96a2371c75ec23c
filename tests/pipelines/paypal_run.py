"""How tests/pipelines/test_paypal_end_to_end.py runs PayPal: a settable clock, extraction of
every entity through the one runner, the empty Stripe tables dbt reads, `dbt build` of the
unions and the revenue report, and the raw rows landed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml

from gateways.paypal.reader import PayPalReader
from gateways.registry import gateway_module
from pipelines.extract.landing import prepare_tables
from pipelines.extract.runner import extract_entity
from sandbox.business.clock import HISTORY_END, HISTORY_START
from sandbox.paypal.testing import sandbox_account

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
NOW = HISTORY_END + 86_400  # the sandbox's clock and the reader's, a day after the history
MODULE = gateway_module("paypal")
CONTRACTS = ["customers", "payments", "refunds", "disputes", "subscriptions", "invoices"]


class Clock:
    def __init__(self, at: int) -> None:
        self.at = at

    def __call__(self) -> int:
        return self.at


def extract(
    warehouse: Path, url: str, clock: Clock, reader_wrap=None, batch_objects: int = 5_000
) -> dict[str, int]:
    """Every PayPal entity through the runner; rows written (inserted + updated) per entity."""
    account = sandbox_account(url)
    written = {}
    with PayPalReader(
        account, now=clock, sleep=lambda s: None, history_start=HISTORY_START
    ) as reader:
        for entity in MODULE.entities:
            r = reader_wrap(reader) if reader_wrap else reader
            result = extract_entity(
                MODULE, account, entity, warehouse, reader=r, now=clock, log=lambda m: None,
                batch_objects=batch_objects,
            )  # fmt: skip
            written[entity] = result.inserted + result.updated
    return written


def empty_stripe_tables(warehouse: Path) -> None:
    sources = yaml.safe_load((PROJECT / "models/staging/stripe/_stripe__sources.yml").read_text())
    for table in sources["sources"][0]["tables"]:
        prepare_tables(warehouse, "stripe", table["name"])


def dbt_build(warehouse: Path, work: Path, contracts: list[str] = CONTRACTS) -> str:
    """Seeds and models of the contracts' unions and the revenue report (tests are the dbt
    suite's, not ours)."""
    selection = [f"+int_{c}_unioned" for c in contracts] + ["+rpt_revenue_monthly_by_gateway"]
    return dbt(warehouse, work, "build", "--select", *selection, "--resource-type", "seed",
               "--resource-type", "model")  # fmt: skip


def dbt(warehouse: Path, work: Path, *args: str) -> str:
    env = {**os.environ, "LEDGERDESK_WAREHOUSE": str(warehouse), "HOME": str(work),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}  # fmt: skip
    proc = subprocess.run(
        [str(DBT), *args,
         "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:]
    return proc.stdout


def raw_rows(warehouse: Path) -> dict[str, set[tuple[str, str]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            e: set(con.sql(f"select id, payload::varchar from raw_paypal.{e}").fetchall())
            for e in MODULE.entities
        }
