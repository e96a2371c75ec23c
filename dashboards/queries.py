"""Every SQL the dashboards run, in one place; pages call these and hold no SQL."""

from __future__ import annotations

import re

import polars as pl

from dashboards.data import query

# Gateway object ids an agent pastes from an email or another dashboard.
OBJECT_ID = re.compile(r"^(cus|ch|py|pi|in|sub|re|pyr|du|dp)_[A-Za-z0-9]+$")

# LIKE wildcards typed by an agent are literal characters: escape them (and the escape).
_LITERAL_PATTERN = r"""
    '%' || replace(replace(replace({text}, '\', '\\'), '%', '\%'), '_', '\_') || '%'
"""


def find_people(term: str) -> pl.DataFrame:
    """People matching an email (normalized by the marts' own rule) or a gateway id: a
    customer id (even one with no billing event), a payment intent id, or the id of any
    object on a timeline (charge, refund, dispute, invoice, subscription)."""
    term = term.strip()
    if OBJECT_ID.match(term):
        return query(
            """
            select * from marts.dim_customers
            where person_id in (
                -- Mart ids are scoped '<gateway>:<account>:<gateway id>'; agents paste the
                -- gateway's own id.
                select person_id from marts.dim_customers, unnest(customer_ids) as c(id)
                where split_part(c.id, ':', 3) = $1
                union all
                select person_id from marts.fct_customer_timeline
                where split_part(object_id, ':', 3) = $1
                union all
                select person_id from marts.fct_payments
                where split_part(payment_intent_id, ':', 3) = $1
            )
            order by person_id
            """,
            [term],
        )
    # The page never re-implements the email rule: the snapshot carries it as a macro.
    return query(
        "select * from marts.dim_customers "
        "where email_normalized = marts.normalize_email($1) order by person_id",
        [term],
    )


def search_people(fragment: str, limit: int = 20) -> pl.DataFrame:
    """Fallback when nothing matches exactly: emails or names containing the fragment
    (`%` and `_` match themselves)."""
    email_pattern = _LITERAL_PATTERN.format(text="marts.normalize_email($1)")
    name_pattern = _LITERAL_PATTERN.format(text="lower(strip_accents(trim($1)))")
    return query(
        f"""
        select * from marts.dim_customers
        where email_normalized like {email_pattern} escape '\\'
            or lower(strip_accents(display_name)) like {name_pattern} escape '\\'
        order by email_normalized
        limit $2
        """,
        [fragment, limit],
    )


def timeline(person_id: str) -> pl.DataFrame:
    return query(
        """
        select event_at, event_type, object_type, status, amount_minor, currency, description,
               split_part(object_id, ':', 3) as object_id,
               split_part(customer_id, ':', 3) as customer_id, gateway, account_id
        from marts.fct_customer_timeline
        where person_id = ?
        order by event_at desc, object_id
        """,
        [person_id],
    )


def payment_totals(person_id: str) -> pl.DataFrame:
    """Lifetime paid, refunded, lost to disputes and net per currency (the mart's figures)."""
    return query(
        """
        select currency, gross_minor, refunds_minor, disputes_lost_minor, net_minor
        from marts.fct_customer_revenue
        where person_id = ?
        order by currency
        """,
        [person_id],
    )


def data_quality_warnings() -> pl.DataFrame:
    """Tests of the build that produced the snapshot which warned (or failed)."""
    return query(
        """
        select check_name, model, status, failures, message
        from marts._data_quality
        where status in ('warn', 'fail', 'error')
        order by failures desc, check_name
        """
    )


def build_status() -> pl.DataFrame:
    """The last build's status and, when it failed, since when the data is stale."""
    return query(
        """
        select
            status.status,
            status.finished_at,
            coalesce(status.last_success_at, published.published_at) as last_success_at,
            published.published_at,
            status.message
        from marts._published as published
        left join marts._build_status as status on true
        """
    )
