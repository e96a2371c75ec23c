"""Run the whole pipeline once through Dagster: extract every configured account, then
dbt build and publish. Exits non-zero if any asset or check-blocking step failed.

    python -m scripts.pipeline [--full-refresh] [--config ledgerdesk.yaml]
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ledgerdesk.config import ConfigError, Settings, load_settings
from scripts.dagster_home import prepare_dagster_home

LOG_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


JOBS = ("extract", "transform")


def run_pipeline(
    settings: Settings, *, full_refresh: bool = False, jobs: tuple[str, ...] = JOBS
) -> bool:
    """Execute the extract job, then the transform job (even if extraction partly failed)."""
    # Dagster's resource, dbt's profile and Dagster's instance find this run's files through
    # these variables; they are set for the run only, then restored.
    exported = {
        "LEDGERDESK_CONFIG": str(settings.config_path),
        "DAGSTER_HOME": str(prepare_dagster_home(settings.dagster_home)),
        **settings.dbt_env(),
    }
    with _environment(exported):
        return _run_jobs(full_refresh, jobs)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_jobs(full_refresh: bool, jobs: tuple[str, ...]) -> bool:
    import dagster as dg

    from pipelines.definitions import defs

    instance = dg.DagsterInstance.get()
    for run_id in release_dead_runs(instance):
        print(f"==> run {run_id[:8]}: its launcher died; marked failed, its pool slots freed")
    ok = True
    for job_name in jobs:
        job = defs.resolve_job_def(job_name)
        run_config: dict = dict(LOG_CONFIG)
        if job_name == "extract" and full_refresh:
            run_config["ops"] = {
                node.name: {"config": {"full_refresh": True}} for node in job.graph.node_defs
            }
        started = time.monotonic()
        print(f"==> {job_name}: starting", flush=True)
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config, tags=launcher_tags()
        )
        failed = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        status = "ok" if result.success else f"FAILED steps: {', '.join(failed) or '?'}"
        accounts = failed_accounts(result)
        if accounts:
            status = f"FAILED accounts: {accounts}" + ("" if result.success else f"; {status}")
        print(f"==> {job_name}: {status} in {time.monotonic() - started:.1f}s", flush=True)
        ok = ok and result.success and not accounts
    return ok


# A run launched here runs in this process: its tags name the process, so that a later
# launcher can tell a run that is still going from one whose process was killed (no daemon
# watches in-process runs). A killed run would keep its gateway's pool slot claimed
# (pipelines/defs/extract.py) and every later run's extraction of that gateway would wait.
PID_TAG, HOST_TAG = "ledgerdesk/launcher_pid", "ledgerdesk/launcher_host"


def launcher_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def release_dead_runs(instance) -> list[str]:
    """Runs of this machine's launchers still marked going whose process is gone: marked
    failed, their pool slots freed. Returns their ids."""
    import dagster as dg

    going = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    released = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=going)):
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if pid is None or host != socket.gethostname() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"its launcher (pid {pid}) is gone")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def failed_accounts(result) -> str:
    """`<gateway> account '<name>' (entity, ...)` for each account an extraction asset's
    `accounts_extracted` check names; the rest of the warehouse was built without them."""
    from pipelines.defs.extract import ACCOUNTS_CHECK

    entities: dict[str, list[str]] = {}
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.check_name != ACCOUNTS_CHECK or evaluation.passed:
            continue
        names = evaluation.asset_key.path[-1]
        failed = evaluation.metadata.get("failed_accounts")
        for label in (failed.value if failed else "?").split(", "):
            entities.setdefault(label, []).append(names)
    return "; ".join(f"{label} ({', '.join(sorted(e))})" for label, e in sorted(entities.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="configuration file (default: ledgerdesk.yaml)")
    parser.add_argument("--full-refresh", action="store_true", help="re-list every object")
    parser.add_argument(
        "--job", choices=JOBS, action="append", help="run only this job (repeatable)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    jobs = tuple(args.job) if args.job else JOBS
    return 0 if run_pipeline(settings, full_refresh=args.full_refresh, jobs=jobs) else 1


if __name__ == "__main__":
    sys.exit(main())
