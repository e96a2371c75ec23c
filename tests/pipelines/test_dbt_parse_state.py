"""The pipeline's dbt runs start from the last run's parse state only while the project is
unchanged (pipelines/lib/dbt_parse_state.py): an edited, added or removed file, another
warehouse or another dbt version offers no state, so dbt parses the project in full."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.lib import dbt_parse_state
from pipelines.lib.dbt_parse_state import STATE_FILE, keep, project_key, restore

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@pytest.fixture
def project(tmp_path) -> Path:
    copy = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_DIR, copy, ignore=shutil.ignore_patterns(*dbt_parse_state.NOT_THE_PROJECT)
    )
    return copy


def _run(project: Path, warehouse: Path, written: bytes | None) -> tuple[bool, Path]:
    """One run's bookkeeping as transform.py does it: (was a state offered, its target)."""
    target = project / "target" / f"run-{len(list((project / 'target').glob('run-*')))}"
    key = project_key(project, warehouse)
    offered = restore(target, key, warehouse)
    if written is not None:  # what dbt writes after parsing
        target.mkdir(parents=True, exist_ok=True)
        (target / STATE_FILE).write_bytes(written)
    keep(target, key, project, warehouse)
    return offered, target


def test_an_unchanged_project_starts_from_the_last_runs_state(project, tmp_path):
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    (project / "target").mkdir()
    assert _run(project, warehouse, b"first")[0] is False
    offered, target = _run(project, warehouse, b"second")
    assert offered and (target / STATE_FILE).read_bytes() == b"second"
    offered, target = _run(project, warehouse, None)
    assert offered and (target / STATE_FILE).read_bytes() == b"second"
    # A run's own output (target, logs) is not the project: it changes no key.
    (project / "logs").mkdir()
    (project / "logs" / "dbt.log").write_text("a line")
    assert _run(project, warehouse, None)[0] is True
    assert [p.name for p in dbt_parse_state.state_dir(warehouse).iterdir()] == [
        f"{project_key(project, warehouse)}.msgpack"
    ]


@pytest.mark.parametrize("change", ["edited", "added", "removed", "renamed", "dbt_project.yml"])
def test_a_changed_project_is_offered_no_state(project, tmp_path, change):
    warehouse = tmp_path / "warehouse.duckdb"
    (project / "target").mkdir()
    _run(project, warehouse, b"before")
    model = next(iter(sorted((project / "models").rglob("*.sql"))))
    if change == "edited":
        model.write_text(model.read_text() + "\n-- one more line\n")
    elif change == "added":
        (model.parent / "new_model.sql").write_text("select 1 as one\n")
    elif change == "removed":
        model.unlink()
    elif change == "renamed":
        model.rename(model.with_name(f"renamed_{model.name}"))
    else:
        path = project / "dbt_project.yml"
        path.write_text(path.read_text() + "\n# a comment\n")
    offered, target = _run(project, warehouse, None)
    assert offered is False and not (target / STATE_FILE).exists()


def test_another_warehouse_or_dbt_version_is_offered_no_state(project, tmp_path, monkeypatch):
    (project / "target").mkdir()
    _run(project, tmp_path / "a" / "warehouse.duckdb", b"state of a")
    assert _run(project, tmp_path / "b" / "warehouse.duckdb", None)[0] is False
    assert _run(project, tmp_path / "a" / "warehouse.duckdb", None)[0] is True
    monkeypatch.setattr(dbt_parse_state, "version", lambda name: "0.0.0")
    assert _run(project, tmp_path / "a" / "warehouse.duckdb", None)[0] is False


def test_a_project_edited_while_dbt_ran_keeps_nothing(project, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    target = project / "target" / "run"
    key = project_key(project, warehouse)
    target.mkdir(parents=True)
    (target / STATE_FILE).write_bytes(b"parsed before the edit")
    (project / "models" / "added_meanwhile.sql").write_text("select 1 as one\n")
    assert keep(target, key, project, warehouse) is False
    assert not dbt_parse_state.state_dir(warehouse).exists()


# Written out, not read from the module: what a build depends on.
@pytest.mark.parametrize(
    "upgraded",
    ["dbt-core", "dbt-adapters", "dbt-duckdb", "dbt-postgres", "dbt-spark", "duckdb", "pyspark"],
)
def test_an_upgraded_adapter_or_engine_or_another_target_is_another_project(
    project, tmp_path, monkeypatch, upgraded
):
    """The key is also the transform's project in its no-change rule (raw_watermark.py): an
    upgrade of dbt-duckdb (or of any adapter, dbt itself, an engine's library) or another
    target must build again."""
    warehouse = tmp_path / "warehouse.duckdb"
    key = project_key(project, warehouse, "dev")
    assert project_key(project, warehouse, "dev") == key
    assert project_key(project, warehouse, "postgres") != key
    real = dbt_parse_state.version
    monkeypatch.setattr(
        dbt_parse_state, "version", lambda name: "99.0.0" if name == upgraded else real(name)
    )
    assert project_key(project, warehouse, "dev") != key
