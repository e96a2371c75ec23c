"""Dagster's instance folder: telemetry off, the warehouse pool one step at a time."""

from __future__ import annotations

import os
from pathlib import Path

DAGSTER_YAML = """\
# Written by scripts/dagster_home.py.
telemetry:
  enabled: false
concurrency:
  pools:
    # dbt and publishing hold the warehouse for a whole step; extraction takes turns per
    # batch through a file lock and is not in this pool.
    default_limit: 1
"""


def prepare_dagster_home(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    # Dagster finds its instance through this variable; set it for this process and children.
    os.environ["DAGSTER_HOME"] = str(path)
    return path
