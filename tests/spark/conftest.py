"""Spark tests. The landing's (pure Python, no JVM) run in every `make test`; the build's
(`@pytest.mark.spark`: a JVM, minutes) only when asked for: `make test-spark`
(LEDGERDESK_SPARK_TESTS=1, every test here) or `-m spark`; they skip with the reason when
PySpark or Java is missing."""

from __future__ import annotations

import os
import shutil


def pytest_ignore_collect(collection_path, config):
    if collection_path.name == "test_spark_build.py":
        asked = os.environ.get("LEDGERDESK_SPARK_TESTS") == "1"
        return not asked and "spark" not in (config.getoption("markexpr") or "")
    return None


def spark_missing() -> str | None:
    """Why the Spark build cannot run here, or None."""
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        return f"PySpark/dbt-spark not installed (make setup-spark): {exc}"
    if shutil.which("java") is None:
        return "no java on PATH (Spark needs Java 17)"
    return None
