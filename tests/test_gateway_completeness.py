"""Every registered gateway has every piece the whole needs; a new gateway that forgets one
fails here, naming the piece. The places a gateway touches:

- `gateways/<gw>/`: its `MODULE` (the registry's entry): credentials, entities (each an
  EntitySpec with a change mode, a reason, an order), actions from KNOWN_ACTIONS, the
  intermediate contracts it feeds (of CONTRACTS);
- `sandbox/<gw>/`: a `serve` callable (its server on the sandbox kit);
- dbt `models/staging/<gw>/_<gw>__sources.yml`: source `<gw>` with a table per entity;
- dbt `models/intermediate/<gw>/int_<gw>__<contract>.sql` for each contract it feeds;
- `docs/gateways/<gw>.md`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from gateways.base import CHANGE_MODES, CONTRACTS, KNOWN_ACTIONS, ORDERS, EntitySpec
from gateways.registry import BUILT_IN, gateway_modules

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "dbt_project" / "models"
GATEWAYS = sorted(gateway_modules())


def test_the_registry_lists_the_built_in_gateways():
    assert set(BUILT_IN) <= set(GATEWAYS) and "stripe" in GATEWAYS


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_the_module_declares_itself_whole(gateway):
    module = gateway_modules()[gateway]
    assert module.credentials and all(isinstance(c, str) and c for c in module.credentials)
    assert module.entities, f"{gateway}: no entities"
    for name, spec in module.entities.items():
        assert isinstance(spec, EntitySpec) and spec.name == name, f"{gateway}.{name}"
        assert spec.changes in CHANGE_MODES, f"{gateway}.{name}: change mode {spec.changes!r}"
        assert len(spec.why.strip()) > 10, f"{gateway}.{name}: say why {spec.changes} is enough"
        assert spec.order in ORDERS, f"{gateway}.{name}: order {spec.order!r}"
    assert module.actions <= KNOWN_ACTIONS, f"{gateway}: {sorted(module.actions - KNOWN_ACTIONS)}"
    assert module.feeds and set(module.feeds) <= set(CONTRACTS), f"{gateway}: feeds"
    assert module.default_api_base.startswith("https://")


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_a_sandbox_server(gateway):
    package = importlib.import_module(f"sandbox.{gateway}")
    serve = getattr(package, "serve", None)
    if serve is None:
        serve = getattr(importlib.import_module(f"sandbox.{gateway}.server"), "serve", None)
    assert callable(serve), f"sandbox/{gateway}/ has no serve()"


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_dbt_sources_have_a_table_per_entity(gateway):
    path = MODELS / "staging" / gateway / f"_{gateway}__sources.yml"
    assert path.is_file(), f"missing {path.relative_to(ROOT)}"
    sources = yaml.safe_load(path.read_text())["sources"]
    (source,) = [s for s in sources if s["name"] == gateway]
    tables = {t["name"] for t in source["tables"]}
    missing = set(gateway_modules()[gateway].entities) - tables
    assert not missing, f"{path.relative_to(ROOT)} lacks tables {sorted(missing)}"


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_an_intermediate_model_per_fed_contract(gateway):
    folder = MODELS / "intermediate" / gateway
    missing = [
        f"int_{gateway}__{contract}.sql"
        for contract in gateway_modules()[gateway].feeds
        if not (folder / f"int_{gateway}__{contract}.sql").is_file()
    ]
    assert not missing, f"{folder.relative_to(ROOT)} lacks {missing}"


@pytest.mark.parametrize("gateway", GATEWAYS)
def test_a_gateway_page_in_the_docs(gateway):
    assert (ROOT / "docs" / "gateways" / f"{gateway}.md").is_file()
