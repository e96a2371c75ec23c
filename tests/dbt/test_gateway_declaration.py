"""dbt's list of gateways and of the contracts each feeds (`vars` in dbt_project.yml) is
the registry's: the same gateways, each feeding exactly the contracts its module declares
(`GatewayModule.feeds`), and one `int_<contract>_unioned` model per contract of
`gateways.base.CONTRACTS`. dbt cannot import the registry when it parses, so the two are
kept equal by this test (DECISIONLOG.md, room identity)."""

from __future__ import annotations

from pathlib import Path

import yaml

from gateways.base import CONTRACTS
from gateways.registry import gateway_modules

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def _vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def test_dbt_lists_exactly_the_registered_gateways():
    assert sorted(_vars()["gateways"]) == sorted(gateway_modules())


def test_each_gateway_feeds_the_contracts_its_module_declares():
    declared = _vars()["gateway_contracts"]
    assert {name: sorted(declared.get(name, [])) for name in gateway_modules()} == {
        name: sorted(module.feeds) for name, module in gateway_modules().items()
    }


def test_every_contract_has_its_union_model():
    unions = {
        path.name.removeprefix("int_").removesuffix("_unioned.sql")
        for path in (PROJECT_DIR / "models" / "intermediate").glob("int_*_unioned.sql")
    }
    assert unions == set(CONTRACTS)
