"""Extraction assets keyed [gateway, entity] for every registered gateway and entity: the same
key dagster-dbt gives source('<gateway>', '<entity>'), so the graph runs from
[stripe, charges] to the marts.

One step per gateway extracts its entities (any subset of them): every configured account
of it at once, each account's entities side by side (pipelines/extract/parallel.py), so that
the gateway's request limits, not the step, bound the run. Each gateway's step is in a Dagster
pool of its own (`gateway_<name>`, limit 1: scripts/dagster_home.py), so parallel runs (the
hourly one and a manual full refresh) never read one gateway at once.
A failing account fails only its own work: each asset still materializes what landed, and
its `accounts_extracted` check fails naming the account (`<gateway> account '<name>'`) and
the error. The check does not block, so dbt builds and publishes the rest;
`scripts/pipeline.py` exits non-zero naming the failed accounts.
"""

import dagster as dg
from dagster import AssetExecutionContext
from pydantic import Field

from gateways.registry import gateway_modules
from pipelines.extract.engines import Target
from pipelines.extract.landing import prepare_tables
from pipelines.extract.parallel import Task, extract_all
from pipelines.lib.resources import LedgerdeskSettings
from pipelines.lib.warehouse_checks import quarantine_check

EXTRACT_GROUP = "extract"
ACCOUNTS_CHECK = "accounts_extracted"


class ExtractConfig(dg.Config):
    full_refresh: bool = Field(
        default=False, description="Re-list every object instead of reading since the cursor."
    )


def pool_of(gateway: str) -> str:
    """The Dagster pool of a gateway's extraction: its limit (scripts/dagster_home.py, 1 by
    default) bounds how many runs read that gateway at once, so its rate limits hold across
    parallel runs (within a run its accounts' pacers share each account's budget)."""
    return f"gateway_{gateway}"


def _specs(module) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            key=[module.name, name],
            group_name=EXTRACT_GROUP,
            kinds={module.name},
            description=(
                f"Raw {module.name} {name}, every configured account, incrementally. "
                f"Later changes: {entity.changes}: {entity.why}."
            ),
            skippable=True,
        )
        for name, entity in module.entities.items()
    ]


def _gateway_asset(module) -> dg.AssetsDefinition:
    specs = _specs(module)

    @dg.multi_asset(
        name=f"extract_{module.name}",
        specs=specs,
        check_specs=[
            dg.AssetCheckSpec(
                ACCOUNTS_CHECK,
                asset=spec.key,
                description="Every configured account of this gateway was read without error.",
            )
            for spec in specs
        ],
        can_subset=True,
        pool=pool_of(module.name),
        retry_policy=dg.RetryPolicy(max_retries=1, delay=5),
    )
    def _extract(
        context: AssetExecutionContext, config: ExtractConfig, ledgerdesk: LedgerdeskSettings
    ):
        yield from extract_accounts(context, config, ledgerdesk)

    return _extract


def extract_accounts(
    context: AssetExecutionContext, config: ExtractConfig, ledgerdesk: LedgerdeskSettings
):
    """The selected assets' entities, every configured account of their gateway at once."""
    settings = ledgerdesk.load()
    target = Target.of(settings)  # warehouse.engine: the runner is the same for each
    modules = gateway_modules()
    keys = sorted(context.selected_asset_keys, key=lambda k: k.path)
    tasks = []
    for key in keys:
        gateway, entity = key.path
        prepare_tables(target, gateway, entity)
        for account in settings.accounts_of(gateway):
            tasks.append(Task(modules[gateway], account, entity))
    outcomes = extract_all(tasks, target, full_refresh=config.full_refresh, log=context.log.info)
    for key in keys:
        gateway, entity = key.path
        mine = [o for o in outcomes if (o.task.module.name, o.task.entity) == (gateway, entity)]
        metadata: dict[str, int | str] = {}
        for outcome in mine:
            if outcome.result is None:
                continue
            for name, value in vars(outcome.result).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    metadata[f"{outcome.task.account.name}.{name}"] = value
        failed = [o for o in mine if o.error is not None]
        if failed:
            metadata["failed_accounts"] = ", ".join(o.task.account.label for o in failed)
        yield dg.MaterializeResult(
            asset_key=key,
            metadata=metadata,
            check_results=[
                dg.AssetCheckResult(
                    asset_key=key,
                    check_name=ACCOUNTS_CHECK,
                    passed=not failed,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={
                        "accounts": len(mine),
                        "failed": len(failed),
                        "failed_accounts": metadata.get("failed_accounts", "none"),
                        "errors": "\n".join(o.error or "" for o in failed) or "none",
                    },
                )
            ],
        )


EXTRACT_ASSETS = [_gateway_asset(module) for module in gateway_modules().values()]
SPECS = [spec for assets in EXTRACT_ASSETS for spec in assets.specs]


def definitions() -> dg.Definitions:
    checks = [quarantine_check(*spec.key.path) for spec in SPECS]
    return dg.Definitions(assets=EXTRACT_ASSETS, asset_checks=checks)
