"""`make demo`: start the local gateway sandboxes, run the whole pipeline once through Dagster,
print a summary, then serve Streamlit and the Dagster UI on loopback until Ctrl-C.

    python -m scripts.demo [--no-serve] [--seed 42] [--scale 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from ledgerdesk.config import PROJECT_ROOT, ConfigError, Settings, load_settings
from scripts import processes
from scripts.pipeline import run_pipeline
from scripts.summary import summary_text

STREAMLIT_PORT = 8501
DAGSTER_PORT = 3000


def _is_loopback(api_base: str | None) -> bool:
    return bool(api_base) and urlparse(api_base).hostname in ("127.0.0.1", "localhost")


def sandbox_accounts(settings: Settings) -> list:
    """The configured accounts the demo serves itself: those whose api_base is loopback."""
    accounts = [a for a in settings.accounts if _is_loopback(a.api_base)]
    if not accounts:
        raise SystemExit(
            f"{settings.config_path}: accounts: the demo needs at least one account whose "
            "api_base is a local sandbox (http://127.0.0.1:PORT)"
        )
    return accounts


def start_sandboxes(settings: Settings, seed: int, scale: float) -> list[subprocess.Popen]:
    """One `python -m sandbox.<gateway>` per sandbox account, all serving their share of the
    same generated business. Each is told the names of the variables that hold the
    credentials the configuration names (`--<credential>-env`), never the values."""
    procs = []
    for account in sandbox_accounts(settings):
        port = urlparse(account.api_base).port
        flags = []
        for credential, env_name in account.credentials.items():
            flags += [f"--{credential.replace('_', '-')}-env", env_name]
        command = [sys.executable, "-u", "-m", f"sandbox.{account.gateway}", "--seed", str(seed)]
        command += ["--scale", str(scale), "--port", str(port), "--account", account.name, *flags]
        procs.append(processes.start(command, stdout=subprocess.PIPE, text=True))
    for proc in procs:
        print(processes.wait_for_line(proc, " sandbox on ", timeout=240), flush=True)
    return procs


def serve(
    settings: Settings,
    *,
    streamlit_port: int = STREAMLIT_PORT,
    dagster_port: int | None = DAGSTER_PORT,
) -> list[subprocess.Popen]:
    """Streamlit (and the Dagster UI unless `dagster_port` is None) on loopback; they only
    read the published snapshot and Dagster's instance, never rebuild anything."""
    bin_dir = Path(sys.executable).parent
    # dagster-dbt re-parses the project under `dagster dev` with the `dbt` found on PATH.
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "DAGSTER_HOME": str(settings.dagster_home),  # the UI shows the demo's own runs
        "LEDGERDESK_CONFIG": str(settings.config_path),
    }
    streamlit = processes.start(
        [
            str(bin_dir / "streamlit"),
            "run",
            str(PROJECT_ROOT / "dashboards" / "streamlit_app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(streamlit_port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        env=env,
    )
    if dagster_port is None:
        return [streamlit]
    dagster = processes.start(
        [
            str(bin_dir / "dagster"),
            "dev",
            "-w",
            str(PROJECT_ROOT / "workspace.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(dagster_port),
        ],
        cwd=PROJECT_ROOT,
        env=env,
    )
    return [streamlit, dagster]


def main(argv: list[str] | None = None) -> int:
    processes.interrupt_on_signals()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-serve", action="store_true", help="exit after the summary")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    children: list[subprocess.Popen] = []
    try:
        children += start_sandboxes(settings, args.seed, args.scale)
        # The sandbox is generated afresh each time, so the demo warehouse starts afresh too:
        # the configured warehouse and snapshot are replaced (`make serve` keeps them).
        for path in (settings.warehouse_path, settings.published_dir):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        ok = run_pipeline(settings, full_refresh=True)
        print()
        print(summary_text(settings.published_dir))
        print(f"\nPipeline {'succeeded' if ok else 'FAILED'} in {time.monotonic() - started:.0f}s.")
        if not ok:
            return 1
        if args.no_serve:
            return 0
        children += serve(settings)
        print(
            f"\nCustomer lookup: http://127.0.0.1:{STREAMLIT_PORT}   "
            f"Dagster: http://127.0.0.1:{DAGSTER_PORT}   Sandboxes: "
            + ", ".join(f"{a.label} {a.api_base}" for a in sandbox_accounts(settings))
            + "\nCtrl-C stops everything.",
            flush=True,
        )
        return processes.supervise(children)
    except KeyboardInterrupt:
        print("\nstopping...")
        return 0
    finally:
        processes.stop_all(children)


if __name__ == "__main__":
    sys.exit(main())
