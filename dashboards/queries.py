"""Every SQL the dashboards run, in one place; pages call these and hold no SQL."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from dashboards.data import query

# Gateway object ids an agent pastes from an email or another dashboard.
OBJECT_ID = re.compile(r"^(cus|ch|py|pi|in|sub|re|pyr|du|dp)_[A-Za-z0-9]+$")


def normalize_email(text: str) -> str:
    """The same rule as the marts' `email_normalized`: NFC, no whitespace, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).lower()


def find_people(term: str) -> pl.DataFrame:
    """People matching an email (any case or spacing) or a gateway customer/object id."""
    term = term.strip()
    if OBJECT_ID.match(term):
        return query(
            """
            select * from marts.dim_customers
            where person_id in (
                -- Mart ids are scoped '<gateway>:<account>:<gateway id>'; agents paste the
                -- gateway's own id.
                select person_id from marts.fct_customer_timeline
                where ? in (
                    split_part(object_id, ':', 3), split_part(customer_id, ':', 3)
                )
            )
            order by person_id
            """,
            [term],
        )
    return query(
        "select * from marts.dim_customers where email_normalized = ? order by person_id",
        [normalize_email(term)],
    )


def search_people(fragment: str, limit: int = 20) -> pl.DataFrame:
    """Fallback when nothing matches exactly: emails or names containing the fragment."""
    needle = f"%{normalize_email(fragment)}%"
    return query(
        """
        select * from marts.dim_customers
        where email_normalized like ?
            or lower(strip_accents(display_name)) like lower(strip_accents(?))
        order by email_normalized
        limit ?
        """,
        [needle, f"%{fragment.strip()}%", limit],
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
