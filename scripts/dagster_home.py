"""Dagster's instance folder: telemetry off, failed runs retried, and, when the deployment
names one, its run, event-log and schedule storage on PostgreSQL.

`LEDGERDESK_DAGSTER_POSTGRES_URL` (a postgresql:// URL) moves the instance's storage to
PostgreSQL (dagster-postgres): the webserver, the daemon and the code servers of several
machines then share one instance (docs/deploy.md). The URL is read from the environment by
Dagster itself; it is never written into dagster.yaml. Without it the instance keeps its
SQLite files in the folder, as a laptop wants.

Each gateway's extraction step is in a pool of its own (`gateway_<name>`,
pipelines/defs/extract.py), and every pool's limit is GATEWAY_POOL_LIMIT: however many runs
are launched at once (the hourly schedule, a manual full refresh, a retry), one step at a
time reads a gateway, so its rate limits hold across runs; the other gateways' steps go on.
Runs wait in the queue beyond MAX_CONCURRENT_RUNS. A run whose process died would keep its
pool slot claimed: run monitoring (the daemon) marks such a run failed, which frees it.

Writers of the DuckDB warehouse take turns through a file lock (pipelines/lib/warehouse.py),
not a pool: the kernel frees a lock the moment its process dies."""

from __future__ import annotations

import os
from pathlib import Path

POSTGRES_URL_ENV = "LEDGERDESK_DAGSTER_POSTGRES_URL"
MAX_RUN_RETRIES = 2  # a run that failed (a gateway down for a minute) is tried twice more
GATEWAY_POOL_LIMIT = 1  # steps reading one gateway at once, across all runs
MAX_CONCURRENT_RUNS = 10

BASE_YAML = f"""\
# Written by scripts/dagster_home.py.
telemetry:
  enabled: false
run_retries:
  enabled: true
  max_retries: {MAX_RUN_RETRIES}
concurrency:
  pools:
    default_limit: {GATEWAY_POOL_LIMIT}
  runs:
    max_concurrent_runs: {MAX_CONCURRENT_RUNS}
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  poll_interval_seconds: 60
"""

POSTGRES_YAML = f"""\
storage:
  postgres:
    postgres_url:
      env: {POSTGRES_URL_ENV}
"""


def dagster_yaml(env: os._Environ | dict[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return BASE_YAML + (POSTGRES_YAML if env.get(POSTGRES_URL_ENV) else "")


def prepare_dagster_home(path: Path, env: os._Environ | dict[str, str] | None = None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    wanted = dagster_yaml(env)
    if not config.exists() or config.read_text() != wanted:
        config.write_text(wanted)
    return path
