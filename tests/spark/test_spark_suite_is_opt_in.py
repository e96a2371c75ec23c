"""The Spark build is an opt-in suite (tests/conftest.py, OPT_IN_SUITES): not asked for, it is
collected and skips, saying how to ask, even under CI=true (which turns every other skip into
a failure); asked for (LEDGERDESK_SPARK_TESTS=1) on a machine without Java, it fails and says
why. Each case is a pytest of its own on tests/spark/test_spark_build.py (seconds: the
build's fixture stops before any build)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pytest_build_module(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("LEDGERDESK_SPARK_TESTS", "CI")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/spark/test_spark_build.py"],
        cwd=ROOT, env={**base, "PYTHONPATH": str(ROOT), "CI": "true", **env},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_not_asked_for_it_skips_even_under_ci():
    run = _pytest_build_module()
    assert run.returncode == 0, run.stdout[-3000:]
    assert "3 skipped" in run.stdout
    assert "opt-in suite `spark` not asked for: LEDGERDESK_SPARK_TESTS=1 runs it" in run.stdout


def test_asked_for_without_java_it_fails():
    # only the venv's own folder on PATH: no java (nor, for spark-submit, bash)
    run = _pytest_build_module(LEDGERDESK_SPARK_TESTS="1", PATH=str(Path(sys.executable).parent))
    assert run.returncode != 0, run.stdout[-3000:]
    assert "skipped" not in run.stdout
    assert "LEDGERDESK_SPARK_TESTS=1 asks for the Spark suite, but" in run.stdout
