"""Child processes the launcher starts and must stop: each in its own process group, with
default signal handlers restored (`dagster dev` started from a script ignores SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence


def _restore_default_signals() -> None:
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start(cmd: Sequence[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(list(cmd), preexec_fn=_restore_default_signals, **kwargs)


def wait_for_line(proc: subprocess.Popen, needle: str, timeout: float) -> str:
    """Read the child's stdout until a line contains `needle`; fail if it exits first."""
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            if needle in line:
                return line.rstrip()
            continue
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before ready")
    raise TimeoutError(f"no '{needle}' from {proc.args} within {timeout:.0f}s")


def stop_all(procs: Sequence[subprocess.Popen], grace: float = 10.0) -> None:
    """SIGTERM every group, wait, then SIGKILL whatever is left."""
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def interrupt_on_signals() -> None:
    """Ctrl-C and a plain `kill` both raise KeyboardInterrupt, so the launcher's `finally`
    stops every child; a shell that started us in the background would otherwise leave SIGINT
    ignored."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def supervise(children: Sequence[subprocess.Popen]) -> int:
    """Wait while every child runs; 1 as soon as one stops (the caller stops the rest)."""
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    stopped = [c for c in children if c.poll() is not None]
    print(f"{stopped[0].args[0]} stopped; shutting the rest down", file=sys.stderr)
    return 1
