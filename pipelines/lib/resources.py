"""The configuration resource every asset reads its settings through."""

from __future__ import annotations

import dagster as dg

from ledgerdesk.config import Settings, load_settings


class LedgerdeskSettings(dg.ConfigurableResource):
    """Settings from ledgerdesk.yaml (or `config_path`); secrets stay in the environment,
    named by the file and resolved by ledgerdesk.config, never stored in Dagster's config."""

    config_path: str | None = None

    def load(self) -> Settings:
        return load_settings(self.config_path)
