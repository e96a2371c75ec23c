"""Customer lookup for support agents: who is this person and why were they charged?"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import queries
from dashboards.charts import render_timeline
from dashboards.data import DataUnavailable
from dashboards.notices import show_data_notices
from ledgerdesk.money import format_money

st.title("Customer lookup")
show_data_notices()

with st.sidebar:
    term = st.text_input(
        "Email or any gateway id",
        key="lookup_term",
        placeholder="jane@example.com, cus_..., ch_..., a transaction or subscription id",
        help="An email in any case or spacing, or an id from any gateway: a customer, "
        "payment (Stripe charge, Braintree transaction, PayPal capture), payment intent, "
        "subscription, invoice, refund or dispute id.",
    )

if not term.strip():
    st.info(
        "Look a customer up by email or any gateway's customer, payment, subscription or "
        "dispute id (sidebar)."
    )
    st.stop()

try:
    people = queries.find_people(term)
    candidates = queries.search_people(term) if people.is_empty() else people
except DataUnavailable as exc:
    st.error(str(exc))
    st.stop()

if people.is_empty():
    if candidates.is_empty():
        st.warning(f"No customer matches '{term.strip()}'.")
        st.stop()
    st.caption("No exact match; people whose email or name contains it:")
    people = candidates

if people.height > 1:
    labels = [
        f"{row['display_name'] or '(no name)'} <{row['email_normalized']}>"
        for row in people.iter_rows(named=True)
    ]
    choice = st.selectbox("Matching people", range(people.height), format_func=labels.__getitem__)
    person = people.row(choice, named=True)
else:
    person = people.row(0, named=True)

st.subheader(person["display_name"] or person["email_normalized"] or person["person_id"])
customer_ids = ", ".join(str(c).split(":")[-1] for c in person.get("customer_ids") or [])
st.caption(
    " · ".join(
        str(part)
        for part in (person.get("email_normalized"), person.get("country"), customer_ids)
        if part
    )
)

try:
    events = queries.timeline(person["person_id"])
    totals = queries.payment_totals(person["person_id"])
    customers = queries.identities(person["person_id"])
except DataUnavailable as exc:
    st.error(str(exc))
    st.stop()

# Who this person is at each gateway, and why the warehouse says so (dim_customer_identities).
st.markdown("**Gateway customers**")
st.table(
    customers.select(
        "gateway",
        "account_id",
        "customer_id",
        "email",
        "customer_name",
        "match_method",
        "matched_on",
    ).to_pandas()
)

columns = st.columns(max(2, totals.height + 2))
for column, row in zip(columns, totals.iter_rows(named=True), strict=False):
    lost = row["refunds_minor"] + row["disputes_lost_minor"]
    column.metric(
        f"Paid ({row['currency']})",
        format_money(row["gross_minor"], row["currency"]),
        delta=f"-{format_money(lost, row['currency'])} refunded or disputed" if lost else None,
        delta_color="off",
        border=True,
        help=f"Net {format_money(row['net_minor'], row['currency'])}",
    )
columns[-2].metric("Events", f"{events.height:,}", border=True)
open_disputes = events.filter(
    (pl.col("event_type").str.starts_with("dispute"))
    & pl.col("status").is_in(["inquiry", "needs_response", "under_review"])
)
columns[-1].metric("Open disputes", open_disputes.height, border=True)

shown = events.with_columns(
    pl.struct("amount_minor", "currency")
    .map_elements(
        lambda r: (
            format_money(r["amount_minor"], r["currency"])
            if r["amount_minor"] is not None and r["currency"]
            else ""
        ),
        return_dtype=pl.String,
    )
    .alias("amount"),
    pl.col("object_type").alias("kind"),
)
if not shown.is_empty():
    st.altair_chart(render_timeline(shown), width="stretch")
st.dataframe(
    shown.select(
        "event_at",
        "gateway",
        "event_type",
        "status",
        "amount",
        "description",
        "object_id",
        "account_id",
    ),
    hide_index=True,
    width="stretch",
)
