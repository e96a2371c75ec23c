"""The data-quality state of the last dbt build, as the dashboards show it.

Tests real data can break warn (DECISIONLOG.md); only structural ones block. After each
`dbt build` the transform step records, in the warehouse's `ledgerdesk` schema:
- `data_quality`: one row per dbt test of that build (status pass / warn / fail / error /
  skipped, the number of failing rows);
- `build_status`: one row: whether the build succeeded, when it finished, when a build
  last succeeded, and what failed.
Publishing copies both into the snapshot (`marts._data_quality`, `marts._build_status`);
when a build fails structurally nothing is published, so the step stamps the failure into
the current snapshot instead, and the pages say their data is stale and since when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

DATA_QUALITY_COLUMNS = (
    "check_name varchar, model varchar, severity varchar, status varchar, "
    "failures bigint, message varchar, checked_at timestamp"
)
BUILD_STATUS_COLUMNS = (
    "status varchar, finished_at timestamp, last_success_at timestamp, message varchar"
)


@dataclass(frozen=True)
class TestOutcome:
    check_name: str
    model: str | None
    severity: str
    status: str
    failures: int
    message: str | None


@dataclass(frozen=True)
class BuildState:
    succeeded: bool
    finished_at: datetime
    outcomes: tuple[TestOutcome, ...]
    errors: tuple[str, ...]  # nodes that failed the build (models, blocking tests)

    @property
    def message(self) -> str | None:
        return "; ".join(self.errors) or None


def build_state(
    run_results: Mapping[str, Any] | None, manifest: Mapping[str, Any], succeeded: bool
) -> BuildState:
    """Read dbt's run_results.json (None when dbt stopped before running anything)."""
    nodes = manifest.get("nodes", {})
    outcomes, errors = [], []
    for result in (run_results or {}).get("results", []):
        uid, status = result["unique_id"], result["status"]
        node = nodes.get(uid, {})
        if uid.startswith("test."):
            attached = node.get("attached_node") or next(
                iter(node.get("depends_on", {}).get("nodes", [])), None
            )
            outcomes.append(
                TestOutcome(
                    check_name=node.get("name", uid),
                    model=attached.split(".")[-1] if attached else None,
                    severity=str(node.get("config", {}).get("severity", "error")).lower(),
                    status=status,
                    failures=int(result.get("failures") or 0),
                    message=result.get("message"),
                )
            )
        if status in ("error", "fail"):
            errors.append(f"{node.get('name', uid)}: {result.get('message') or status}")
    if not succeeded and not errors:
        errors.append("dbt build failed before running (see the run's log)")
    return BuildState(
        succeeded, datetime.now(UTC).replace(tzinfo=None), tuple(outcomes), tuple(errors)
    )


def record_build(warehouse_path: Path, state: BuildState) -> None:
    """Replace ledgerdesk.data_quality and ledgerdesk.build_status (caller holds the lock)."""
    con = duckdb.connect(str(warehouse_path))
    try:
        con.sql("create schema if not exists ledgerdesk")
        con.sql(f"create table if not exists ledgerdesk.data_quality ({DATA_QUALITY_COLUMNS})")
        con.sql(f"create table if not exists ledgerdesk.build_status ({BUILD_STATUS_COLUMNS})")
        previous = con.sql("select max(last_success_at) from ledgerdesk.build_status").fetchall()
        last_success = state.finished_at if state.succeeded else previous[0][0]
        con.sql("begin transaction")
        con.sql("delete from ledgerdesk.data_quality")
        for o in state.outcomes:
            con.execute(
                "insert into ledgerdesk.data_quality values (?, ?, ?, ?, ?, ?, ?)",
                [o.check_name, o.model, o.severity, o.status, o.failures, o.message,
                 state.finished_at],
            ).fetchall()  # fmt: skip
        con.sql("delete from ledgerdesk.build_status")
        con.execute(
            "insert into ledgerdesk.build_status values (?, ?, ?, ?)",
            ["success" if state.succeeded else "failed", state.finished_at, last_success,
             state.message],
        ).fetchall()  # fmt: skip
        con.sql("commit")
    finally:
        con.close()


def record_build_postgres(dsn: str, state: BuildState) -> None:
    """record_build on a PostgreSQL warehouse (the dashboards read these tables there
    directly: no snapshot to stamp). One transaction, so a reader sees either build."""
    import psycopg

    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute("create schema if not exists ledgerdesk")
        conn.execute(f"create table if not exists ledgerdesk.data_quality ({DATA_QUALITY_COLUMNS})")
        conn.execute(f"create table if not exists ledgerdesk.build_status ({BUILD_STATUS_COLUMNS})")
        previous = conn.execute("select max(last_success_at) from ledgerdesk.build_status")
        last_success = state.finished_at if state.succeeded else previous.fetchone()[0]
        conn.execute("delete from ledgerdesk.data_quality")
        conn.cursor().executemany(
            "insert into ledgerdesk.data_quality values (%s, %s, %s, %s, %s, %s, %s)",
            [[o.check_name, o.model, o.severity, o.status, o.failures, o.message,
              state.finished_at] for o in state.outcomes],
        )  # fmt: skip
        conn.execute("delete from ledgerdesk.build_status")
        conn.execute(
            "insert into ledgerdesk.build_status values (%s, %s, %s, %s)",
            ["success" if state.succeeded else "failed", state.finished_at, last_success,
             state.message],
        )  # fmt: skip
