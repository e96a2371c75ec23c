"""Every configured account at once, and each account's entities side by side.

Real gateways cap requests per second (per endpoint and in all), not bytes, so one entity at a
time can never use what an account allows: each (account, entity) runs in its own thread,
through a reader of its own; an account's readers share its pacer (gateways/pacing.py). The
warehouse has one writer per process (pipelines/extract/writer.py): the threads hand it their
batches and read on; it lands them on one kept connection and holds the warehouse lock only
while it has work, so the gateways' processes take turns at the file.

Several gateways run in processes of their own (one per gateway, threads inside), so that
one gateway's parsing (Braintree's XML, PayPal's JSON) never waits on another's for the
interpreter lock; their logs come back to the caller's `log`.

A failure stays with its account: an entity that fails records its error; when the account
itself is unusable (refused credentials, no server answering) its remaining entities are not
tried, each recorded as failed with the same cause. Other accounts are untouched.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue as queues
import threading
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gateways.base import GatewayModule
from gateways.errors import GatewayAuthError, GatewayConnectionError, GatewayError
from ledgerdesk.config import ConfigError, GatewayAccount
from pipelines.extract.base import ExtractResult
from pipelines.extract.engines import Target, as_target
from pipelines.extract.runner import extract_entity

# Errors that say the account cannot be read at all, whatever the entity.
ACCOUNT_WIDE = (GatewayAuthError, GatewayConnectionError, ConfigError)
MAX_THREADS = 32  # bounds the threads of one run: accounts x entities beyond it queue


@dataclass(frozen=True)
class Task:
    module: GatewayModule
    account: GatewayAccount
    entity: str


@dataclass
class Outcome:
    task: Task
    result: ExtractResult | None = None
    error: str | None = None  # names the account (`<gateway> account '<name>'`)


def extract_all(
    tasks: Iterable[Task],
    warehouse: Target | Path,
    *,
    full_refresh: bool = False,
    log: Callable[[str], None] = print,
    max_threads: int = MAX_THREADS,
    processes: bool | None = None,
) -> list[Outcome]:
    """Run every task, all at once (up to `max_threads` threads per gateway); one Outcome per
    task, in order. `processes`: a process per gateway (default: when there are several).
    `warehouse`: any engine's Target (engines/), or a DuckDB file's path."""
    tasks, warehouse_path = list(tasks), as_target(warehouse)
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.module.name, []).append(task)
    if processes is None:
        processes = len(groups) > 1
    if processes and not _picklable(tasks):
        # a gateway module that cannot travel to another process (it holds a lambda, an
        # open client): its work, and the rest, runs here in threads instead
        log("WARNING a gateway module cannot be sent to a process of its own: threads only")
        processes = False
    if not processes:
        return _in_threads(tasks, warehouse_path, full_refresh, log, max_threads)
    done = _in_processes(groups, warehouse_path, full_refresh, log, max_threads)
    at = {_key(o.task): o for o in done}
    return [at[_key(task)] for task in tasks]


def _picklable(tasks: list[Task]) -> bool:
    try:
        pickle.dumps(tasks)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def _key(task: Task) -> tuple[str, str, str]:
    return task.module.name, task.account.name, task.entity


def _in_threads(
    tasks: list[Task],
    warehouse_path: Target,
    full_refresh: bool,
    log: Callable[[str], None],
    max_threads: int,
) -> list[Outcome]:
    broken: dict[tuple[str, str], str] = {}  # (gateway, account) -> why it cannot be read
    lock = threading.Lock()

    def run(task: Task) -> Outcome:
        key = (task.module.name, task.account.name)
        with lock:
            cause = broken.get(key)
        if cause is not None:
            return Outcome(task, error=f"{task.entity} not read: {cause}")
        try:
            result = extract_entity(
                task.module, task.account, task.entity, warehouse_path,
                full_refresh=full_refresh, log=log,
            )  # fmt: skip
        except (GatewayError, ConfigError) as exc:
            message = _named(task, exc)
            log(f"ERROR {message}")
            if isinstance(exc, ACCOUNT_WIDE):
                with lock:
                    broken.setdefault(key, message)
            return Outcome(task, error=message)
        return Outcome(task, result=result)

    if not tasks:
        return []
    with ThreadPoolExecutor(min(max_threads, len(tasks)), thread_name_prefix="extract") as pool:
        return list(pool.map(run, tasks))


def _in_processes(
    groups: dict[str, list[Task]],
    warehouse_path: Target,
    full_refresh: bool,
    log: Callable[[str], None],
    max_threads: int,
) -> list[Outcome]:
    """A spawned process per gateway (never fork: the caller has threads); each sends its
    log lines and, at the end, its outcomes. A process that dies silently fails its tasks."""
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    children = {}
    for gateway, group in groups.items():
        child = context.Process(
            target=_child,
            args=(gateway, group, warehouse_path, full_refresh, max_threads, messages),
            name=f"extract-{gateway}",
            daemon=True,
        )
        child.start()
        children[gateway] = child
    finished: dict[str, list[Outcome]] = {}
    silent: dict[str, int] = {}
    while len(finished) < len(children):
        try:
            kind, gateway, payload = messages.get(timeout=1)
        except queues.Empty:
            for gateway, child in children.items():
                if gateway in finished or child.is_alive():
                    continue
                silent[gateway] = silent.get(gateway, 0) + 1
                if silent[gateway] >= 2:  # dead, and nothing more came from it
                    why = f"the {gateway} extraction process died (exit code {child.exitcode})"
                    log(f"ERROR {why}")
                    finished[gateway] = [Outcome(t, error=why) for t in groups[gateway]]
            continue
        if kind == "log":
            log(payload)
        elif kind == "done":
            finished[gateway] = payload
        else:  # "crash": an unexpected error, as the threads would have raised it
            for child in children.values():
                child.terminate()
            raise RuntimeError(f"the {gateway} extraction failed:\n{payload}")
    for child in children.values():
        child.join(timeout=10)
    return [o for outcomes in finished.values() for o in outcomes]


def _child(gateway, tasks, warehouse_path, full_refresh, max_threads, messages) -> None:
    def log(message: str) -> None:
        messages.put(("log", gateway, message))

    try:
        outcomes = _in_threads(tasks, warehouse_path, full_refresh, log, max_threads)
    except BaseException:
        messages.put(("crash", gateway, traceback.format_exc()))
        return
    messages.put(("done", gateway, outcomes))


def _named(task: Task, exc: Exception) -> str:
    """The error with the account's label in front when the message lacks it."""
    text = str(exc)
    return text if task.account.label in text else f"{task.account.label}, {task.entity}: {text}"
