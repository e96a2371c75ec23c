"""Every gateway extractor the pipeline runs: its gateway, entities and extract function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gateways.stripe.entities import ENTITIES as STRIPE_ENTITIES
from pipelines.extract.base import ExtractResult
from pipelines.extract.stripe import extract_stripe_entity


@dataclass(frozen=True)
class Extractor:
    gateway: str
    entities: tuple[str, ...]
    # extract(account, entity, warehouse_path, *, full_refresh=False, log=print)
    extract: Callable[..., ExtractResult]


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("stripe", tuple(STRIPE_ENTITIES), extract_stripe_entity),
)
