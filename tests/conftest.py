"""Suite-wide policy: under CI=true a test that would skip (for a missing service such as
PostgreSQL or Chromium) fails instead, so a green CI never hides an untested path. An opt-in
suite (OPT_IN_SUITES) that was not asked for skips everywhere, under CI=true too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

STRICT_SKIPS = os.environ.get("CI", "").lower() == "true"

# Opt-in suites, marker -> the variable that asks for one: a test so marked is collected
# everywhere and runs only when its variable is 1 (`make test-spark`); otherwise it skips
# saying how to ask, and that skip stays a skip under CI=true (nothing was asked, so nothing is
# hidden). A suite asked for that cannot run fails (tests/spark/conftest.py: no Java, no
# PySpark). DECISIONLOG.md, 2026-12-03, room spark.
OPT_IN_SUITES = {"spark": "LEDGERDESK_SPARK_TESTS"}
NOT_ASKED = pytest.StashKey[str]()


def pytest_itemcollected(item):
    for marker, variable in OPT_IN_SUITES.items():
        if item.get_closest_marker(marker) and os.environ.get(variable) != "1":
            item.stash[NOT_ASKED] = marker
            item.add_marker(
                pytest.mark.skip(
                    reason=f"opt-in suite `{marker}` not asked for: {variable}=1 runs it"
                    f" (make test-{marker})"
                )
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    not_asked = NOT_ASKED in item.stash
    if STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail") and not not_asked:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which turns skips into failures: {reason}"


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Streamlit's AppTest runs a page as `__main__` and leaves it there; a process spawned
    later (the pipeline's per-gateway extraction processes) would run that page again while
    it starts. Each test gets the interpreter's own `__main__` back."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


# Under pytest-xdist (`make test`: two workers, `--dist loadgroup --no-loadscope-reorder`), the
# tests that share an expensive build run on one worker, so it is built once: tests are joined
# by every shared build and every module (or class, package) fixture they use, so a module
# fixture is never built on two workers or twice on one; a test using none goes with its
# module. The shared builds' groups are scheduled first, in SHARED_BUILDS order (e2e_run's,
# the longest, first: it must never start last). (Cheap session fixtures, a rendered
# business, may be built once per worker.) DECISIONLOG.md, integration.
SHARED_BUILDS = (
    "e2e_run",
    "built_warehouse",
    "warned_build",
    "dagster_transform",
    "edge_warehouse",
    "e2e_sandbox",
)


def xdist_groups(items) -> dict[str, str]:
    """{test id: group}: tests joined (union-find) by the shared builds and the module-like
    fixtures they use; a joined set is named after its first shared build in SHARED_BUILDS,
    else after the module of its first test."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for item in items:
        keys = []
        for name in item.fixturenames:
            definitions = item._fixtureinfo.name2fixturedefs.get(name)
            if name in SHARED_BUILDS:
                keys.append(name)
            elif definitions and definitions[-1].scope in ("module", "class", "package"):
                keys.append(f"{definitions[-1].baseid}::{name}")
        for key in keys or [item.nodeid.split("::")[0]]:
            parent[root(item.nodeid)] = root(key)
    names = {root(build): build for build in reversed(SHARED_BUILDS)}
    for item in items:
        names.setdefault(root(item.nodeid), item.nodeid.split("::")[0])
    return {item.nodeid: names[root(item.nodeid)] for item in items}


XDIST_GROUP = pytest.StashKey[str]()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """The marks go on before xdist's own hook reads them (a wrapper runs first). xdist 3.8
    then puts the group in the test id (`...::test@group`), the only thing its scheduler reads,
    by writing `item._nodeid`, which pytest 9.2 no longer reads (the id is `item._id` now):
    on a worker, the id is given its suffix here where xdist's did not take."""
    if not config.pluginmanager.has_plugin("xdist"):  # `-p no:xdist`: no such mark to add
        return (yield)
    groups = xdist_groups(items)
    for item in items:
        item.stash[XDIST_GROUP] = groups[item.nodeid]
        item.add_marker(pytest.mark.xdist_group(item.stash[XDIST_GROUP]))
    loadgroup = getattr(config.option, "loadgroup", False)  # set on xdist workers under it
    if loadgroup:  # the shared builds' groups first, in SHARED_BUILDS order (a stable sort)
        first = {build: rank for rank, build in enumerate(SHARED_BUILDS)}
        items.sort(key=lambda item: first.get(item.stash[XDIST_GROUP], len(first)))
    result = yield
    if loadgroup:
        for item in items:
            group = item.stash[XDIST_GROUP]
            if not item.nodeid.endswith(f"@{group}"):
                suffixed = f"{item.nodeid}@{group}"
                item._id = type(item._id).parse(suffixed)
                if item.nodeid != suffixed:
                    raise pytest.UsageError(f"cannot put {item.nodeid} in its xdist group")
    return result


# The transform step's two runs on the hand-written account (tests/transform_runs.py).
# A PostgreSQL database of the test's own (tests/pg_database.py).
from tests.pg_database import pg_warehouse  # noqa: E402, F401
from tests.transform_runs import dagster_transform  # noqa: E402, F401


def pytest_configure(config):
    """LEDGERDESK_BUILD_LOG=<file>: each session or module fixture build counted per worker
    (tests/build_log.py), so a double build is counted, never guessed from wall time."""
    from tests.build_log import BUILD_LOG, WORKER, BuildLog

    if BUILD_LOG:
        if WORKER == "main":  # the controller starts the run's log afresh
            Path(BUILD_LOG).write_text("")
        config.pluginmanager.register(BuildLog(), "ledgerdesk-build-log")


# --- A small Stripe sandbox, a fresh store per test (gateway and extraction tests). ---
@pytest.fixture(scope="session")
def rendered():
    from sandbox.business import generate
    from sandbox.stripe.render import render_account

    return render_account(generate(seed=42, scale=0.05))


@pytest.fixture
def store(rendered):
    from sandbox.stripe.store import StripeStore

    return StripeStore(rendered)


@pytest.fixture
def sandbox(store):
    from sandbox.stripe.server import serve

    with serve(store) as server:
        yield server


# --- One whole pipeline run, shared by the end-to-end, Dagster and dashboard tests. ---
# Scale 0.1 of the sandbox business: about 200 customers and 1,400 charges over 18 months.
E2E_SEED, E2E_SCALE = 11, 0.1
SANDBOX_KEY = "sk_test_ledgerdesk_e2e"


@pytest.fixture(scope="session")
def e2e_business():
    """The Stripe account's share of the business (what the Stripe sandbox serves), so its
    totals are what the Stripe-only pipeline must show."""
    from sandbox.business import generate
    from sandbox.business.shares import share

    return share(generate(seed=E2E_SEED, scale=E2E_SCALE), "stripe", "sandbox")


@pytest.fixture(scope="session")
def e2e_sandbox(e2e_business):
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore

    with serve(StripeStore.from_business(e2e_business), api_keys={SANDBOX_KEY: None}) as server:
        yield server


def write_config(folder, api_base: str, key_env: str = "LEDGERDESK_E2E_STRIPE_KEY"):
    """A ledgerdesk.yaml for one sandbox account, with its warehouse inside `folder`."""
    path = folder / "ledgerdesk.yaml"
    path.write_text(
        "warehouse:\n  path: data/warehouse.duckdb\n  published_dir: data/published\n"
        "dagster_home: data/dagster\n"
        "accounts:\n"
        f"  - {{gateway: stripe, name: main, api_key_env: {key_env}, api_base: '{api_base}',"
        " default_currency: USD, lookback_days: 3}\n"
    )
    return path


@pytest.fixture(scope="session")
def e2e_env():
    """Environment for launcher-style runs: restored after the session."""
    saved = dict(os.environ)
    os.environ["LEDGERDESK_E2E_STRIPE_KEY"] = SANDBOX_KEY
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def e2e_run(tmp_path_factory, e2e_sandbox, e2e_env):
    """The real `make pipeline` path (Dagster jobs extract then transform, in process)."""
    from ledgerdesk.config import load_settings
    from scripts.pipeline import run_pipeline

    folder = tmp_path_factory.mktemp("e2e")
    settings = load_settings(write_config(folder, e2e_sandbox.url), e2e_env)
    ok = run_pipeline(settings, full_refresh=True)
    # The dashboards under test find their published snapshot through this variable.
    e2e_env["LEDGERDESK_CONFIG"] = str(settings.config_path)
    return {"settings": settings, "ok": ok}
