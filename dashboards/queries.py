"""Every SQL the dashboards run, in one place; pages call these and hold no SQL. Each runs on
the DuckDB snapshot and on PostgreSQL's serving schema alike (`$n` parameters); the few
differences are named by dashboards/data.py (marts_schema, strip_accents, bookkeeping)."""

from __future__ import annotations

import polars as pl

from dashboards.data import bookkeeping, marts_schema, query, strip_accents

# LIKE wildcards typed by an agent are literal characters: escape them (and the escape).
_LITERAL_PATTERN = r"""
    '%' || replace(replace(replace({text}, '\', '\\'), '%', '\%'), '_', '\_') || '%'
"""


def find_people(term: str) -> pl.DataFrame:
    """People matching an email (normalized by the marts' own rule; any email of any of the
    person's gateway customers) or an id of any gateway: a customer id (even one with no
    billing event), a payment (charge, transaction, capture), payment intent, subscription,
    dispute, refund or invoice id, as the gateway shows it or as the warehouse key
    '<gateway>:<account>:<id>'."""
    m = marts_schema()
    term = term.strip()
    if "@" in term:
        # The page never re-implements the email rule: the snapshot carries it as a macro.
        return query(
            f"""
            select * from {m}.dim_customers
            where person_id in (
                select person_id from {m}.dim_customer_identities
                where email_normalized = {m}.normalize_email($1)
            )
            order by person_id
            """,
            [term],
        )
    if not term or any(c.isspace() for c in term):
        return query(f"select * from {m}.dim_customers where false")
    return query(
        f"""
        select * from {m}.dim_customers
        where person_id in (
            select person_id from {m}.dim_customer_identities
            where $1 in (source_customer_id, customer_id)
            union all
            select person_id from {m}.fct_customer_timeline
            where $1 in (source_object_id, object_id)
            union all
            select person_id from {m}.fct_payments
            where $1 in (source_payment_id, payment_id, payment_intent_id)
                or split_part(payment_intent_id, ':', 3) = $1
            union all
            select person_id from {m}.fct_subscriptions
            where $1 in (source_subscription_id, subscription_id)
            union all
            select person_id from {m}.fct_disputes
            where $1 in (source_dispute_id, dispute_id)
            union all
            select person_id from {m}.fct_refunds
            where $1 in (source_refund_id, refund_id)
            union all
            select person_id from {m}.fct_invoices
            where $1 in (source_invoice_id, invoice_id)
        )
        order by person_id
        """,
        [term],
    )


def search_people(fragment: str, limit: int = 20) -> pl.DataFrame:
    """Fallback when nothing matches exactly: people with an email or a name (at any
    gateway) containing the fragment (`%` and `_` match themselves)."""
    m = marts_schema()
    email_pattern = _LITERAL_PATTERN.format(text=f"{m}.normalize_email($1)")
    name_pattern = _LITERAL_PATTERN.format(text=f"lower({strip_accents('trim($1)')})")
    name = f"lower({strip_accents('customer_name')})"
    return query(
        f"""
        select * from {m}.dim_customers
        where person_id in (
            select person_id from {m}.dim_customer_identities
            where email_normalized like {email_pattern} escape '\\'
                or {name} like {name_pattern} escape '\\'
        )
        order by email_normalized
        limit $2
        """,
        [fragment, limit],
    )


def identities(person_id: str) -> pl.DataFrame:
    """The person's gateway customers and the rule that made each one this person."""
    m = marts_schema()
    return query(
        f"""
        select gateway, account_id, source_customer_id as customer_id, email, customer_name,
               match_method, matched_on, customer_id as warehouse_key
        from {m}.dim_customer_identities
        where person_id = $1
        order by gateway, account_id, source_customer_id
        """,
        [person_id],
    )


def timeline(person_id: str) -> pl.DataFrame:
    m = marts_schema()
    return query(
        f"""
        select event_at, gateway, event_type, object_type, status, amount_minor, currency,
               description, source_object_id as object_id,
               source_customer_id as customer_id, account_id
        from {m}.fct_customer_timeline
        where person_id = $1
        order by event_at desc, object_id
        """,
        [person_id],
    )


def payment_totals(person_id: str) -> pl.DataFrame:
    """Lifetime paid, refunded, lost to disputes and net per currency (the mart's figures)."""
    m = marts_schema()
    return query(
        f"""
        select currency, gross_minor, refunds_minor, disputes_lost_minor, net_minor
        from {m}.fct_customer_revenue
        where person_id = $1
        order by currency
        """,
        [person_id],
    )


def data_quality_warnings() -> pl.DataFrame:
    """Tests of the build that produced the snapshot which warned (or failed)."""
    return query(
        f"""
        select check_name, model, status, failures, message
        from {bookkeeping("data_quality")}
        where status in ('warn', 'fail', 'error')
        order by failures desc, check_name
        """
    )


def build_status() -> pl.DataFrame:
    """The last build's status and, when it failed, since when the data is stale (what is
    shown is the last published build's)."""
    m = marts_schema()
    return query(
        f"""
        select
            status.status,
            status.finished_at,
            coalesce(status.last_success_at, published.published_at) as last_success_at,
            published.published_at,
            status.message
        from {m}._published as published
        left join {bookkeeping("build_status")} as status on true
        """
    )
