"""The dbt project as Dagster sees it; kept in its own module (dagster-dbt reads the
manifest at import, and `dagster dev` re-parses it through prepare_if_dev)."""

from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
