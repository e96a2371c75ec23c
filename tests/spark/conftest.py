"""Spark tests. The landing's (pure Python, no JVM) run in every `make test`; the build's
(`@pytest.mark.spark`: a JVM, minutes) are an opt-in suite (tests/conftest.py,
OPT_IN_SUITES): collected everywhere, skipped unless LEDGERDESK_SPARK_TESTS=1
(`make test-spark`), and, once asked for, failing (never skipping) when PySpark or Java is
missing."""

from __future__ import annotations

import shutil

import pytest


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


def require_spark() -> None:
    """The suite was asked for (its tests run only then): what it needs must be here."""
    reason = spark_missing()
    if reason:
        pytest.fail(f"LEDGERDESK_SPARK_TESTS=1 asks for the Spark suite, but {reason}")
