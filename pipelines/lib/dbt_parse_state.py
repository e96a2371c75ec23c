"""dbt's parse state kept between the pipeline's runs on one warehouse, so a run of an
unchanged project does not parse it again from scratch (seconds of CPU per run).

Each dagster-dbt invocation has its own target folder, which starts from the project's
`target/partial_parse.msgpack` (the one `dbt parse` made for Dagster's manifest, with the
profile's fallback warehouse): every run names its warehouse by its absolute path, so dbt
sees the profile changed and parses everything. Here the state a run wrote is kept next to
its warehouse, under a key made of every project file's bytes, the versions of dbt, its
adapters and the engines' libraries, the dbt target and the warehouse's path; the next run
starts from it only under the same key. A changed project (any file, added or removed) has
another key, so it starts from no state of ours and is parsed in full: a stale state is
never offered. dbt checks what it is offered as well (files, vars, env vars, profile) and
parses in full on any mismatch. The same key is the transform's project in its no-change
rule (raw_watermark.py): an upgraded adapter or another target builds again."""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

STATE_FILE = "partial_parse.msgpack"
NOT_THE_PROJECT = ("target", "logs", "dbt_packages")  # what dbt writes, not what it reads


def state_dir(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.name}.dbt_parse")


# What a build's result depends on besides the project: dbt, every adapter, the engines'
# own libraries (an upgrade of dbt-duckdb or duckdb can change what a model computes).
TOOLS = ("dbt-core", "dbt-adapters", "dbt-duckdb", "dbt-postgres", "dbt-spark", "duckdb", "pyspark")


def tool_versions() -> str:
    """`name version` of each of TOOLS installed, one a line."""
    versions = []
    for name in TOOLS:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} -")
    return "\n".join(versions)


def project_key(project_dir: Path, warehouse: Path, target: str = "") -> str:
    """sha256 of the tools' versions, the dbt target, the warehouse's path, and each project
    file's path and bytes."""
    digest = hashlib.sha256(f"{tool_versions()}\0{target}\0{warehouse}\0".encode())
    files = (
        path
        for path in project_dir.rglob("*")
        if path.relative_to(project_dir).parts[0] not in NOT_THE_PROJECT and path.is_file()
    )
    for path in sorted(files):
        digest.update(f"{path.relative_to(project_dir).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def restore(target: Path, key: str, warehouse: Path) -> bool:
    """Put the state kept under `key` into a fresh target folder; False if none is kept."""
    kept = state_dir(warehouse) / f"{key}.msgpack"
    if not kept.is_file():
        return False
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, target / STATE_FILE)
    return True


def keep(target: Path, key: str, project_dir: Path, warehouse: Path, dbt_target: str = "") -> bool:
    """Keep the state a run wrote under `key`, the only one kept, if the project still has
    that key (not edited while dbt ran); False if nothing was kept."""
    made = target / STATE_FILE
    if not made.is_file() or project_key(project_dir, warehouse, dbt_target) != key:
        return False
    folder = state_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{key}.msgpack.{os.getpid()}.tmp"
    shutil.copyfile(made, partial)
    partial.replace(folder / f"{key}.msgpack")
    for other in folder.iterdir():
        if other.name != f"{key}.msgpack" and not other.name.endswith(".tmp"):
            other.unlink(missing_ok=True)
    return True
