"""Wrong money rules: ISO 4217 minor units, and one decimal-text rule in Python and dbt."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

MINOR_UNITS: tuple[Mutation, ...] = (
    # ISO 4217 minor units from intermediate on (DECISIONLOG.md, 2026-12-01).
    Mutation(
        # A Stripe ISK amount that is no whole krona truncated instead of NULL.
        name="iso-minor-rounds-a-non-whole-amount",
        file="dbt_project/macros/money.sql",
        find="                when {{ amount }} % {{ 10 ** shift }} = 0\n",
        replace="                when true\n",
        tests=(
            "tests/ledgerdesk/test_money_sql.py::"
            "test_gateway_amounts_become_iso_minor_units_exactly",
            "tests/dbt/test_data_quality.py::test_real_data_problems_warn_and_the_build_goes_on",
        ),
    ),
    Mutation(
        name="refunds-keep-stripe-units",
        file="dbt_project/models/intermediate/stripe/int_stripe__refunds.sql",
        find="{{ to_iso_minor('refunds.amount_minor', 'refunds.currency', 'stripe') }}",
        replace="refunds.amount_minor",
        tests=(
            "tests/dbt/test_data_quality.py::test_real_data_problems_warn_and_the_build_goes_on",
        ),
    ),
    Mutation(
        name="invoice-lines-keep-stripe-units",
        file="dbt_project/models/intermediate/stripe/int_stripe__invoice_lines.sql",
        find="{{ to_iso_minor('amount_minor', 'currency', 'stripe') }}",
        replace="amount_minor",
        tests=("tests/dbt/test_dbt_build.py::test_intermediate_money_is_in_iso_minor_units",),
    ),
    Mutation(
        name="isk-prorations-in-fractions-of-a-krona",
        file="sandbox/business/lifecycle.py",
        find="    unit = whole_unit(plan.currency)\n",
        replace="    unit = 1\n",
        tests=(
            "tests/sandbox/test_business.py::test_upgrades_and_downgrades_prorate_exactly",
            "tests/sandbox/test_business.py::"
            "test_isk_amounts_are_whole_kronur_as_stripe_accepts_them",
        ),
    ),
)

DECIMAL_TEXT: tuple[Mutation, ...] = (
    Mutation(
        name="decimal-text-with-too-many-decimals-accepted",
        file="dbt_project/macros/money.sql",
        find="            length({{ fraction }}) <= {{ places }}.decimals_allowed\n",
        replace="            length({{ fraction }}) <= {{ places }}.decimals_allowed + 1\n",
        tests=(
            "tests/ledgerdesk/test_money_sql.py::test_python_and_dbt_convert_every_example_alike",
            "tests/dbt/test_dbt_build.py::test_build_runs_every_node_and_all_pass",
        ),
    ),
    # Money: one decimal-text rule in Python and dbt; revenue per gateway.
    Mutation(
        # Python refuses zeros past the exponent ("1500.00" JPY) while dbt takes them.
        name="python-decimal-zeros-past-the-exponent-refused",
        file="ledgerdesk/money.py",
        find='    fraction = fraction.rstrip("0")\n',
        replace="",
        tests=(
            "tests/ledgerdesk/test_money_sql.py::test_python_and_dbt_convert_every_example_alike",
        ),
    ),
)
