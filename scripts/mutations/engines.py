"""Wrong rules of one engine only (issue 16): a PostgreSQL dispatch macro that no longer
does what DuckDB's does must make the DuckDB/PostgreSQL marts comparison fail."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        # PostgreSQL's email rule forgets NFC: an NFD-typed email becomes another person there.
        name="postgres-email-rule-without-nfc",
        file="dbt_project/macros/emails.sql",
        find="                normalize({{ email_expr }}, nfc),\n",
        replace="                {{ email_expr }},\n",
        tests=("tests/dbt/test_engines_agree.py::test_every_mart_is_equal_on_both_engines",),
    ),
)
