"""How tests/pipelines/test_braintree_end_to_end.py runs Braintree: the reader against the local
gateway (killed after a number of pages, if asked), extraction through the one runner, the
raw rows it landed, and `dbt build` of only the Braintree marts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from gateways.braintree.entities import ENTITIES
from gateways.braintree.reader import BraintreeReader
from gateways.registry import gateway_module
from ledgerdesk.config import GatewayAccount
from pipelines.extract.runner import extract_entity
from sandbox.braintree.app import PRIVATE_KEY, PUBLIC_KEY
from sandbox.braintree.store import MERCHANT_ID

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIR = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
CAP = 150  # transactions per search on both sides: the full history needs halving
ORDER = ("plans", "add_ons", "discounts", "customers", "subscriptions", "transactions", "disputes")
BRAINTREE_CONTRACTS = gateway_module("braintree").feeds
# Braintree alone (the warehouse holds one Braintree account and nothing else), and only the
# marts the tests read with everything upstream of them, their data tests included.
DBT_VARS = (
    "{gateways: [braintree], gateway_contracts: {braintree: ["
    + ", ".join(BRAINTREE_CONTRACTS)
    + "]}}"
)
DBT_SELECT = [
    "+fct_payments", "+fct_refunds", "+fct_disputes", "+fct_subscriptions",
    "+rpt_revenue_monthly_by_gateway",
]  # fmt: skip


class Killed(Exception):
    """The process dies here (a deploy, an OOM kill)."""


def account(url: str) -> GatewayAccount:
    secrets = {"merchant_id": MERCHANT_ID, "public_key": PUBLIC_KEY, "private_key": PRIVATE_KEY}
    names = {k: f"LEDGERDESK_BT_{k.upper()}" for k in secrets}
    return GatewayAccount(
        "braintree", "sandbox", credentials=names, secrets=secrets, api_base=url, lookback_days=3
    )


def reader_for(server, pages_before_kill: int | None = None):
    reader = BraintreeReader(
        account(server.url), sleep=lambda s: None, caps=dict.fromkeys(ENTITIES, CAP)
    )
    if pages_before_kill is None:
        return reader
    read = reader.read
    served = iter(range(pages_before_kill))

    def dying(entity, since=None):
        for page in read(entity, since):
            if next(served, None) is None:
                raise Killed(entity)
            yield page

    reader.read = dying
    return reader


def extract(server, warehouse: Path, *, pages_before_kill: int | None = None, batch: int = 5_000):
    """Every entity in order through the one runner; {entity: (inserted, updated)}."""
    written = {}
    module = gateway_module("braintree")
    for entity in ORDER:
        reader = reader_for(server, pages_before_kill)
        try:
            result = extract_entity(
                module, account(server.url), entity, warehouse,
                reader=reader, log=lambda line: None, batch_objects=batch,
            )  # fmt: skip
        finally:
            reader.close()
        written[entity] = (result.inserted, result.updated)
    return written


def raw_rows(warehouse: Path) -> dict[str, set[tuple[str, str]]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            e: set(con.sql(f"select id, payload_hash from raw_braintree.{e}").fetchall())
            for e in ORDER
        }
    finally:
        con.close()


def dbt_build(warehouse: Path, work: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": str(DBT.parent),
        "HOME": str(work),
        "LEDGERDESK_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [str(DBT), "build", "--vars", DBT_VARS, "--select", *DBT_SELECT,
         "--indirect-selection", "cautious", "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / "target"),
         "--log-path", str(work / "logs")],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip  # fmt: skip


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
