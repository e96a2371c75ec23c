"""What every page says about its data before showing it: warnings of the build that
produced the snapshot, and that the data is stale (and since when) when the last build
failed structurally. Figures come from the snapshot (marts._data_quality,
marts._build_status, marts._published); see pipelines/lib/data_quality.py."""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.data import DataUnavailable


def _utc(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "never"


def newer_build_unpublished(status: dict) -> bool:
    """On PostgreSQL the build status is read in place (a failed build shows at once), so a
    build that succeeded after the publish readers see (its own publish failed, or runs) is
    newer than what is shown. (The DuckDB snapshot carries its own build's status.)"""
    finished, published = status.get("finished_at"), status.get("published_at")
    return (
        status.get("status") == "success"
        and finished is not None
        and published is not None
        and finished > published
    )


def show_data_notices() -> None:
    try:
        status = queries.build_status()
        warnings = queries.data_quality_warnings()
    except DataUnavailable:
        return  # the page itself says why there is no data
    if status.height and status["status"][0] == "failed":
        row = status.row(0, named=True)
        st.error(
            f"The data shown is stale: the last build failed at {_utc(row['finished_at'])}; "
            f"the data is as of the last successful publish, {_utc(row['published_at'])}. "
            f"Failed: {row['message'] or 'see the pipeline run'}",
            icon=":material/history:",
        )
    elif status.height and newer_build_unpublished(row := status.row(0, named=True)):
        st.warning(
            f"A newer build finished at {_utc(row['finished_at'])} and is not published yet "
            "(its publish step failed or is still running): the data shown is as of the last "
            f"publish, {_utc(row['published_at'])}.",
            icon=":material/history:",
        )
    if warnings.height:
        lines = "\n".join(
            f"- {row['check_name']} ({row['model']}): {row['failures']:,} rows"
            for row in warnings.iter_rows(named=True)
        )
        st.warning(
            f"Data-quality warnings in the build behind this data ({warnings.height}):\n{lines}",
            icon=":material/report:",
        )
