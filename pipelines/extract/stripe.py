"""Stripe on the one runner: `extract_stripe_entity` is `runner.extract_entity` with Stripe's
module (kept for callers that name Stripe; everything Stripe's own lives in gateways/stripe/:
the entity table and validation, the reader, events as the change feed)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from gateways.stripe.module import MODULE
from ledgerdesk.config import GatewayAccount
from pipelines.extract.base import ExtractResult
from pipelines.extract.runner import BATCH_OBJECTS, extract_entity

GATEWAY = MODULE.name


def extract_stripe_entity(
    account: GatewayAccount,
    entity: str,
    warehouse_path: Path,
    *,
    full_refresh: bool = False,
    gateway=None,
    log: Callable[[str], None] = print,
    now: Callable[[], int] = lambda: int(time.time()),
    batch_objects: int = BATCH_OBJECTS,
) -> ExtractResult:
    return extract_entity(
        MODULE, account, entity, warehouse_path, full_refresh=full_refresh, reader=gateway,
        log=log, now=now, batch_objects=batch_objects,
    )  # fmt: skip
