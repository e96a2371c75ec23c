"""Extraction assets keyed [gateway, entity]: the same key dagster-dbt gives
source('<gateway>', '<entity>'), so the graph runs from [stripe, charges] to the marts."""

import dagster as dg
from dagster import AssetExecutionContext
from pydantic import Field

from gateways.base import GatewayModule
from gateways.errors import GatewayError
from gateways.registry import gateway_modules
from pipelines.extract.landing import prepare_tables
from pipelines.extract.runner import extract_entity
from pipelines.lib.resources import LedgerdeskSettings
from pipelines.lib.warehouse_checks import quarantine_check

EXTRACT_GROUP = "extract"


class ExtractConfig(dg.Config):
    full_refresh: bool = Field(
        default=False, description="Re-list every object instead of reading since the cursor."
    )


def _extraction_asset(module: GatewayModule, entity: str) -> dg.AssetsDefinition:
    gateway = module.name

    @dg.asset(
        key=[gateway, entity],
        group_name=EXTRACT_GROUP,
        kinds={gateway, "duckdb"},
        description=(
            f"Raw {gateway} {entity}, every configured account, incrementally. "
            f"Later changes: {module.entities[entity].changes} ({module.entities[entity].why})."
        ),
        retry_policy=dg.RetryPolicy(max_retries=1, delay=5),
    )
    def _asset(
        context: AssetExecutionContext, config: ExtractConfig, ledgerdesk: LedgerdeskSettings
    ):
        settings = ledgerdesk.load()
        prepare_tables(settings.warehouse_path, gateway, entity)
        accounts = settings.accounts_of(gateway)
        metadata: dict[str, int] = {}
        failures: list[str] = []
        for account in accounts:
            try:
                result = extract_entity(
                    module,
                    account,
                    entity,
                    settings.warehouse_path,
                    full_refresh=config.full_refresh,
                    log=context.log.info,
                )
            except GatewayError as exc:
                # One account that may not read this entity fails this asset alone; the
                # other accounts still land, and the rest of the warehouse still builds.
                context.log.error(str(exc))
                failures.append(str(exc))
                continue
            for name, value in vars(result).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    metadata[f"{account.name}.{name}"] = value
        if failures:
            raise dg.Failure(description="; ".join(failures), metadata=metadata)
        return dg.MaterializeResult(metadata=metadata)

    return _asset


def definitions() -> dg.Definitions:
    assets, checks = [], []
    for module in gateway_modules().values():
        for entity in module.entities:
            assets.append(_extraction_asset(module, entity))
            checks.append(quarantine_check(module.name, entity))
    return dg.Definitions(assets=assets, asset_checks=checks)
