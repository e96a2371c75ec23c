"""Suite-wide policy: under CI=true a test that would skip (for a missing service such as
PostgreSQL or Chromium) fails instead, so a green CI never hides an untested path."""

from __future__ import annotations

import os

import pytest

STRICT_SKIPS = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which turns skips into failures: {reason}"
