from datetime import datetime

import polars as pl

from dashboards.charts import EVENT_COLOURS, render_timeline


def test_every_timeline_event_is_drawn_in_a_known_colour():
    events = pl.DataFrame(
        {
            "event_at": [datetime(2026, 1, d) for d in (1, 2, 3, 4, 5)],
            "event_type": ["payment_succeeded", "refund_succeeded", "dispute_opened",
                           "subscription_started", "invoice_paid"],
            "status": ["succeeded", "succeeded", "needs_response", "active", "paid"],
            "amount": ["10.00 USD", "5.00 USD", "10.00 USD", "", "10.00 USD"],
            "object_id": ["ch_1", "re_1", "dp_1", "sub_1", "in_1"],
            "kind": ["payment", "refund", "dispute", "subscription", "invoice"],
        }
    )  # fmt: skip
    spec = render_timeline(events).to_dict()
    (dataset,) = spec["datasets"].values()
    assert len(dataset) == events.height
    assert {row["kind"] for row in dataset} <= set(spec["encoding"]["color"]["scale"]["domain"])
    assert set(EVENT_COLOURS) == {"payment", "refund", "dispute", "subscription", "invoice"}
