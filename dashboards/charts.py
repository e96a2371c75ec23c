"""Small Altair renderers; pages pass them tidy frames."""

from __future__ import annotations

import altair as alt
import polars as pl

EVENT_COLOURS = {
    "payment": "#2e7d32",
    "refund": "#ef6c00",
    "dispute": "#6a1b9a",
    "subscription": "#1565c0",
    "invoice": "#546e7a",
}


def render_timeline(events: pl.DataFrame) -> alt.Chart:
    """One point per event: when, what kind, and how much (in major units, for the eye only;
    every figure shown as text stays exact)."""
    frame = events.select("event_at", "event_type", "status", "amount", "object_id", "kind")
    return (
        alt.Chart(frame.to_pandas())
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X("event_at:T", title=None),
            y=alt.Y("kind:N", title=None, sort=list(EVENT_COLOURS)),
            shape=alt.Shape("status:N", legend=None),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(EVENT_COLOURS), range=list(EVENT_COLOURS.values())),
                legend=None,
            ),
            tooltip=["event_at:T", "event_type:N", "status:N", "amount:N", "object_id:N"],
        )
        .properties(height=220)
    )
