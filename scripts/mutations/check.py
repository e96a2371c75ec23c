"""Applying the mutations: the find-text check, the project copy, one test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from scripts.mutations.mutation import Mutation

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 420  # one mutation's tests
# The baseline runs every named test at once: on a slow machine (seen 2026-12-02: the whole
# suite at twice its usual time) 420 s was too short for it, and CI failed before any mutation.
BASELINE_TIMEOUT_SECONDS = 1800


def check_find_texts(root: Path, mutations: tuple[Mutation, ...]) -> list[str]:
    """One problem per mutation whose find text is not in its file exactly once."""
    problems = []
    for m in mutations:
        path = root / m.file
        if not path.is_file():
            problems.append(f"{m.name}: {m.file} does not exist")
            continue
        count = path.read_text().count(m.find)
        if count != 1:
            problems.append(
                f"{m.name}: the find text occurs {count} times in {m.file} (must be exactly 1); "
                f"update the mutation list in scripts/mutations/:\n{_indent(m.find)}"
            )
        if m.find == m.replace:
            problems.append(f"{m.name}: the replacement equals the find text")
    return problems


def copy_project(dest: Path) -> None:
    """The git-tracked and new (not ignored) files, as they are in the work tree now."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for rel in filter(None, listed):
        src = ROOT / rel
        if rel == ".venv" or rel.startswith(".venv/") or not src.is_file():
            continue  # deleted in the work tree, or the venv (linked below)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    (dest / ".venv").symlink_to((ROOT / ".venv").resolve(), target_is_directory=True)
    # dagster-dbt reads dbt's manifest when the code location loads (the launcher's tests):
    # the copy parses its own project once, as `make manifest` does for the tree.
    dbt = (ROOT / ".venv" / "bin" / "dbt").resolve()
    project = dest / "dbt_project"
    subprocess.run(
        [str(dbt), "parse", "--quiet", "--project-dir", str(project), "--profiles-dir",
         str(project)],
        cwd=project, check=True, timeout=300,
        env={**os.environ, "LEDGERDESK_WAREHOUSE": str(dest / "data" / "warehouse.duckdb")},
    )  # fmt: skip


def run_tests(
    copy: Path, tests: tuple[str, ...], *options: str, timeout: float = TIMEOUT_SECONDS
) -> tuple[str, float, str]:
    """('passed' | 'failed' | 'timeout', seconds, tail of the output); `options` go to
    pytest (the baseline's workers)."""
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop("LEDGERDESK_CONFIG", None)
    env.pop("LEDGERDESK_WAREHOUSE", None)
    cmd = [str(copy / ".venv" / "bin" / "python"), "-m", "pytest", "-x", "-q",
           "-p", "no:cacheprovider", *options, *tests]  # fmt: skip
    started = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - started, ""
    output = (proc.stdout + proc.stderr).strip().splitlines()
    # pytest exits 1 when tests failed; 2-5 (interrupted, internal error, usage error such as
    # a test id that no longer exists, nothing collected) say nothing about the mutation.
    status = {0: "passed", 1: "failed"}.get(
        proc.returncode, f"error (pytest exit {proc.returncode})"
    )
    return status, time.monotonic() - started, "\n".join(output[-15:])


def _indent(text: str) -> str:
    return "\n".join(f"    | {line}" for line in text.splitlines())
