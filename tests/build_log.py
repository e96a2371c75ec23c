"""Counting builds: with LEDGERDESK_BUILD_LOG=<file>, each build of a session or module fixture
of ours is one JSON line (worker, fixture, where it is defined, seconds its own setup took),
and the run's summary lists them per worker and names any built more than once. Registered
by tests/conftest.py's pytest_configure; useful with `--setup-plan` too (nothing is built,
the plan is counted)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest

BUILD_LOG = os.environ.get("LEDGERDESK_BUILD_LOG")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


class BuildLog:
    """A plugin, not conftest hooks: a session fixture's setup hook is called for the session
    node, which this directory's conftest hooks do not reach."""

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.scope == "function" or not str(fixturedef.baseid):
            return (yield)  # an empty baseid: pytest's own (tmp_path_factory, ...)
        start = time.perf_counter()
        try:
            return (yield)
        finally:
            build = {
                "worker": WORKER,
                "fixture": fixturedef.argname,
                "defined_in": str(fixturedef.baseid),
                "param": getattr(request, "param_index", 0),
                "seconds": round(time.perf_counter() - start, 1),
            }
            with open(BUILD_LOG, "a") as log:
                log.write(json.dumps(build) + "\n")

    def pytest_terminal_summary(self, terminalreporter):
        if WORKER != "main":
            return
        made: dict[tuple, list] = {}  # (fixture, defined in, param, worker): [builds, seconds]
        for line in Path(BUILD_LOG).read_text().splitlines():
            b = json.loads(line)
            key = (b["fixture"], b["defined_in"], b["param"], b["worker"])
            made.setdefault(key, [0, 0.0])[0] += 1
            made[key][1] += b["seconds"]
        write = terminalreporter.write_line
        terminalreporter.section("builds of session and module fixtures")
        per_fixture: Counter = Counter()
        for (fixture, defined_in, param, worker), (n, seconds) in sorted(made.items()):
            write(f"{worker:5} {n}x {seconds:7.1f}s  {fixture} ({defined_in}, param {param})")
            per_fixture[(fixture, defined_in, param)] += n
        twice = sorted(f"{f} ({d})" for (f, d, _), n in per_fixture.items() if n > 1)
        write(f"built more than once: {', '.join(twice) or 'none'}")
