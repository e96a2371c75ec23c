"""Test node ids shared by several areas' mutations."""

from __future__ import annotations

REVENUE = "dbt_project/models/marts/finance/rpt_revenue_monthly_by_gateway.sql"
# Each gateway's revenue rows against the generator's per-account figures, end to end.
BRAINTREE_TOTALS = (
    "tests/pipelines/test_braintree_end_to_end.py::"
    "test_revenue_by_gateway_equals_the_generators_figures_in_every_currency"
)
PAYPAL_TOTALS = (
    "tests/pipelines/test_paypal_end_to_end.py::"
    "test_totals_equal_the_generators_share_to_the_minor_unit"
)
# The whole sandbox build against the generator's totals, the hand-written edge account, and
# the Braintree and PayPal revenue rows end to end.
REVENUE_TESTS = (
    "tests/dbt/test_revenue_rules.py::test_monthly_revenue_by_the_contract_rules",
    BRAINTREE_TOTALS,
    PAYPAL_TOTALS,
    "tests/dbt/test_dbt_build.py::test_monthly_revenue_equals_generator_totals",
)
PERSONS_TESTS = (
    "tests/dbt/test_older_shapes.py::"
    "test_persons_group_messy_emails_and_keep_emailless_customers_apart",
    "tests/dbt/test_dbt_build.py::test_persons_match_the_generators_people",
)

BRAINTREE_CHANGES = "tests/gateways/test_braintree_changes.py::"
BRAINTREE_WINDOWS = "tests/gateways/test_braintree_windows.py::"
