"""Wrong rules across gateways: revenue per gateway, person matching, money shown."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation
from scripts.mutations.targets import (
    REVENUE,
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        # Two gateways' rows of one month and currency joined to each other's gross.
        name="revenue-of-gateways-mixed",
        file=REVENUE,
        find="            and months.gateway = gross.gateway\n",
        replace="",
        tests=("tests/pipelines/test_all_gateways.py::test_monthly_revenue_of_each_gateway",),
    ),
    Mutation(
        name="external-ids-link-no-one",
        file="dbt_project/models/intermediate/int_persons.sql",
        find="    where external_id is not null and not is_split_off\n",
        replace="    where false\n",
        tests=(
            "tests/pipelines/test_all_gateways.py::"
            "test_people_are_matched_across_gateways_by_the_generators_rules",
        ),
    ),
    Mutation(
        name="lookup-page-formats-with-stripe-exponent",
        file="dashboards/app_pages/customer_lookup.py",
        find='        format_money(row["gross_minor"], row["currency"]),\n',
        replace='        format_money(row["gross_minor"], row["currency"], gateway="stripe"),\n',
        tests=(
            "tests/dashboards/test_money_format.py::"
            "test_no_page_passes_a_gateway_to_money_formatting",
            "tests/dashboards/test_lookup_page.py::"
            "test_money_is_shown_with_the_iso_exponent_of_the_marts",
        ),
    ),
)
