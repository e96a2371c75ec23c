"""Dagster's instance folder, with telemetry off.

Writers of the warehouse take turns through a file lock (pipelines/lib/warehouse.py), not a
Dagster concurrency pool: the kernel frees a lock when its process dies, whereas a pool slot
held by a killed run stays claimed and blocks every later run."""

from __future__ import annotations

from pathlib import Path

DAGSTER_YAML = """\
# Written by scripts/dagster_home.py.
telemetry:
  enabled: false
"""


def prepare_dagster_home(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    return path
