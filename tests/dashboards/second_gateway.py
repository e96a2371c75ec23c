"""A hand-written second gateway, `testpay`, for the lookup page across gateways: a copy of
the dbt project with one more folder `models/intermediate/testpay/` whose conforming models
select hand-written rows (in the contracts' own columns, read from
`_intermediate__models.yml`; emails through the project's one `normalize_email` macro), and
the gateway in `vars.gateways` for that build. It is what a new gateway adds, minus the
staging and the sandbox.

Ana Multi (Stripe `cus_multi`, external id EXT-42) is also at testpay as TP-C1 (the same
email, messily typed), TP-C2 (another email, external id EXT-42) and TP-C3 (another email,
the VAT id TP-C2 has, typed with spaces): one person, by email, external id and tax id."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.dbt.conftest import PROJECT_DIR
from tests.dbt.edge_cases import _charge, _customer

GATEWAY = "testpay"

CUSTOMERS = [
    {"source_customer_id": "TP-C1", "email": "  Ana.Multi@Example.COM ",
     "customer_name": "Ana Multi", "created_at": "2025-02-01 09:00:00", "currency": "JPY"},
    {"source_customer_id": "TP-C2", "email": "ana@other.example", "external_id": "EXT-42",
     "tax_id": "DE999888777", "created_at": "2025-03-01 09:00:00"},
    {"source_customer_id": "TP-C3", "email": "accounts@anacorp.example",
     "tax_id": "de 999 888 777", "created_at": "2025-04-01 09:00:00"},
]  # fmt: skip
PAYMENTS = [
    {"source_payment_id": "TP-T1", "customer": "TP-C1", "created_at": "2025-02-02 10:00:00",
     "status": "succeeded", "source_status": "settled", "amount_minor": 2500,
     "amount_captured_minor": 2500, "amount_refunded_minor": 0, "currency": "JPY",
     "is_captured": True, "is_refunded": False, "is_disputed": True, "invoices_count": 0},
    {"source_payment_id": "TP-T2", "customer": "TP-C3", "created_at": "2025-04-02 10:00:00",
     "status": "failed", "source_status": "processor_declined", "amount_minor": 1000,
     "amount_captured_minor": 0, "amount_refunded_minor": 0, "currency": "USD",
     "is_captured": False, "is_refunded": False, "is_disputed": False, "invoices_count": 0,
     "failure_message": "Do Not Honor"},
]  # fmt: skip
SUBSCRIPTIONS = [
    {"source_subscription_id": "TP-S1", "customer": "TP-C2", "status": "active",
     "source_status": "Active", "currency": "USD", "created_at": "2025-03-01 09:05:00",
     "started_at": "2025-03-01 09:05:00", "is_cancel_at_period_end": False},
]  # fmt: skip
DISPUTES = [
    {"source_dispute_id": "TP-D1", "payment": "TP-T1", "customer": "TP-C1",
     "created_at": "2025-02-20 08:00:00", "status": "needs_response", "source_status": "Open",
     "amount_minor": 2500, "currency": "JPY", "reason": "fraud", "is_closed_at_estimated": False},
]  # fmt: skip
MODELS = {"customers": CUSTOMERS, "payments": PAYMENTS, "subscriptions": SUBSCRIPTIONS,
          "disputes": DISPUTES}  # fmt: skip


def stripe_objects() -> dict[str, list[dict]]:
    """Ana Multi's Stripe side: a customer with external id EXT-42 and one charge."""
    return {
        "customers": [
            _customer("cus_multi", "ana.multi@example.com", "2025-01-05 09:00:00",
                      name="Ana Multi", metadata={"external_id": "EXT-42"})
        ],
        "charges": [
            _charge("ch_multi", "2025-01-06 12:00:00", "succeeded", 5000, "usd", "cus_multi",
                    amount_captured=5000, captured=True)
        ],
    }  # fmt: skip


def _literal(value, data_type: str) -> str:
    if value is None:
        return f"cast(null as {data_type})"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"cast({value} as {data_type})"
    text = str(value).replace("'", "''")
    return f"cast('{text}' as {data_type})"


def _key(source_id: str | None) -> str | None:
    return None if source_id is None else f"{GATEWAY}:main:{source_id}"


def _row(contract: str, row: dict, columns: dict[str, str]) -> str:
    entity = contract.removesuffix("s")
    values = {
        "gateway": GATEWAY,
        "account_id": "main",
        "customer_id": _key(row.get("customer")),
        "payment_id": _key(row.get("payment")),
        **{k: v for k, v in row.items() if k not in ("customer", "payment")},
        f"{entity}_id": _key(row[f"source_{entity}_id"]),
    }
    parts = []
    for name, data_type in columns.items():
        if name == "email_normalized" and "email" in row:
            email = _literal(row["email"], "varchar")
            parts.append(f'{{{{ normalize_email("{email}") }}}} as {name}')
        else:
            parts.append(f"{_literal(values.get(name), data_type)} as {name}")
    return "select\n    " + ",\n    ".join(parts)


def project_with_second_gateway(work: Path) -> tuple[Path, str]:
    """A copy of the dbt project with testpay's conforming models; returns (project dir,
    the --vars that list the gateway)."""
    project = work / "dbt_project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    contracts = {
        model["name"]: {c["name"]: c["data_type"] for c in model["columns"]}
        for model in yaml.safe_load(
            (PROJECT_DIR / "models" / "intermediate" / "_intermediate__models.yml").read_text()
        )["models"]
        if model["name"].endswith("_unioned")
    }
    folder = project / "models" / "intermediate" / GATEWAY
    folder.mkdir()
    for contract, rows in MODELS.items():
        columns = contracts[f"int_{contract}_unioned"]
        sql = "\nunion all\n".join(_row(contract, row, columns) for row in rows)
        (folder / f"int_{GATEWAY}__{contract}.sql").write_text(sql + "\n")
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    cli_vars = {
        "gateways": [*project_vars["gateways"], GATEWAY],
        "gateway_contracts": {**project_vars["gateway_contracts"], GATEWAY: sorted(MODELS)},
    }
    return project, yaml.safe_dump(cli_vars, default_flow_style=True).strip()
