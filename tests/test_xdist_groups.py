"""The xdist groups of tests/conftest.py: tests are joined by the shared session builds and
the module fixtures they use (so `make test` makes each on one worker, once), a test using
neither goes with its module; and under `--dist loadgroup` a test's id carries its group, the
one thing xdist's scheduler reads."""

from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import XDIST_GROUP, xdist_groups

SCOPES = {"e2e_run": ("session", "tests"), "e2e_business": ("session", "tests"),
          "marts": ("module", "a.py"), "shapes": ("module", "b.py"),
          "dagster": ("module", "a.py"), "tmp_path": ("function", "")}  # fmt: skip


def fake_test(nodeid: str, *fixtures: str) -> SimpleNamespace:
    definitions = {
        name: [SimpleNamespace(scope=SCOPES[name][0], baseid=SCOPES[name][1])] for name in fixtures
    }
    return SimpleNamespace(
        nodeid=nodeid,
        fixturenames=list(fixtures),
        _fixtureinfo=SimpleNamespace(name2fixturedefs=definitions),
    )


def test_tests_are_joined_by_shared_builds_and_module_fixtures():
    tests = [
        fake_test("a.py::marts_1", "marts", "e2e_run", "e2e_business"),
        fake_test("a.py::marts_2", "marts"),  # with marts_1 through their module fixture
        fake_test("a.py::through_dagster", "dagster", "tmp_path"),
        fake_test("a.py::plain", "tmp_path"),
        fake_test("b.py::shapes", "shapes"),
        fake_test("b.py::older", "shapes", "e2e_run"),  # b.py's module fixture joins e2e_run
        fake_test("c.py::business_only", "e2e_business"),  # a cheap session fixture: alone
        fake_test("c.py::plain"),
    ]
    assert xdist_groups(tests) == {
        "a.py::marts_1": "e2e_run",
        "a.py::marts_2": "e2e_run",
        "a.py::through_dagster": "a.py",
        "a.py::plain": "a.py",
        "b.py::shapes": "e2e_run",
        "b.py::older": "e2e_run",
        "c.py::business_only": "c.py",
        "c.py::plain": "c.py",
    }


def test_this_tests_id_carries_its_group_under_loadgroup(request):
    item = request.node
    if getattr(request.config.option, "loadgroup", False):  # an xdist worker, --dist loadgroup
        assert item.nodeid == f"tests/test_xdist_groups.py::{item.name}@tests/test_xdist_groups.py"
    else:  # no group given without xdist (`-p no:xdist`: its mark would be unknown)
        has_xdist = request.config.pluginmanager.has_plugin("xdist")
        assert (XDIST_GROUP in item.stash) == has_xdist
        assert "@" not in item.nodeid
