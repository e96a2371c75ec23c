"""Ledgerdesk's one Definitions: it only merges the areas under pipelines/defs/."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import extract, publish, schedules, transform
from pipelines.lib.resources import LedgerdeskSettings

defs = dg.Definitions.merge(
    extract.definitions(),
    transform.definitions(),
    publish.definitions(),
    schedules.definitions(),
    dg.Definitions(resources={"ledgerdesk": LedgerdeskSettings()}),
)
