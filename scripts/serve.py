"""`make serve`: serve the dashboards (and the Dagster UI) on the warehouse and published
snapshot that already exist, without rebuilding or touching them (unlike `make demo`, which
replaces the configured warehouse). No sandbox is started and no secret is needed.

    python -m scripts.serve [--config ledgerdesk.yaml] [--no-dagster] [--port 8501]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from ledgerdesk.config import ConfigError, load_settings
from pipelines.lib.publish import snapshot_path
from scripts import processes
from scripts.dagster_home import prepare_dagster_home
from scripts.demo import DAGSTER_PORT, STREAMLIT_PORT, serve


def main(argv: list[str] | None = None) -> int:
    processes.interrupt_on_signals()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="configuration file (default: ledgerdesk.yaml)")
    parser.add_argument("--no-dagster", action="store_true", help="the dashboards only")
    parser.add_argument("--port", type=int, default=STREAMLIT_PORT, help="Streamlit's port")
    parser.add_argument("--dagster-port", type=int, default=DAGSTER_PORT)
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    snapshot = snapshot_path(settings.published_dir)
    # On PostgreSQL the dashboards read the warehouse itself: there is no snapshot to wait for.
    serving = settings.postgres.safe_dsn() if settings.postgres is not None else snapshot
    if settings.engine != "postgres" and not snapshot.is_file():  # DuckDB, Spark
        print(
            f"no published snapshot at {snapshot}: run `make pipeline` (or `make demo`) first",
            file=sys.stderr,
        )
        return 2
    prepare_dagster_home(settings.dagster_home)
    children: list[subprocess.Popen] = []
    try:
        dagster_port = None if args.no_dagster else args.dagster_port
        children += serve(settings, streamlit_port=args.port, dagster_port=dagster_port)
        urls = f"Customer lookup: http://127.0.0.1:{args.port}"
        if dagster_port is not None:
            urls += f"   Dagster: http://127.0.0.1:{dagster_port}"
        print(f"{urls}\nServing {serving} (not rebuilt). Ctrl-C stops everything.", flush=True)
        return processes.supervise(children)
    except KeyboardInterrupt:
        print("\nstopping...")
        return 0
    finally:
        processes.stop_all(children)


if __name__ == "__main__":
    sys.exit(main())
