"""Wrong revenue and person-matching rules, and older Stripe shapes staged wrongly."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation
from scripts.mutations.targets import (
    PERSONS_TESTS,
    REVENUE,
    REVENUE_TESTS,
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        name="gross-counts-every-status",
        file=REVENUE,
        find="        status = 'succeeded'\n        and amount_captured_minor > 0\n",
        replace="        amount_captured_minor > 0\n",
        tests=REVENUE_TESTS,
    ),
    Mutation(
        name="uncaptured-authorizations-count-as-payments",
        file=REVENUE,
        find="        status = 'succeeded'\n        and amount_captured_minor > 0\n",
        replace="        status = 'succeeded'\n",
        tests=REVENUE_TESTS,
    ),
    Mutation(
        name="failed-refunds-count",
        file=REVENUE,
        find="    from refunds\n    where is_revenue_refund\n",
        replace="    from refunds\n    where not is_authorization_release\n",
        tests=REVENUE_TESTS,
    ),
    Mutation(
        name="released-authorizations-count-as-refunds",
        file="dbt_project/models/marts/core/fct_refunds.sql",
        find="        refunds.status = 'succeeded' and not refunds.is_authorization_release\n",
        replace="        refunds.status = 'succeeded'\n",
        tests=REVENUE_TESTS,
    ),
    Mutation(
        name="refunds-in-the-payments-month",
        file=REVENUE,
        find=(
            "        cast(date_trunc('month', created_at) as date) as month,\n"
            "        gateway,\n"
            "        account_id,\n"
            "        currency,\n"
            "        cast(sum(amount_minor) as bigint) as refunds_minor,\n"
        ),
        replace=(
            "        cast(date_trunc('month', (\n"
            "            select payments.created_at from payments\n"
            "            where payments.payment_id = refunds.payment_id\n"
            "        )) as date) as month,\n"
            "        gateway,\n"
            "        account_id,\n"
            "        currency,\n"
            "        cast(sum(amount_minor) as bigint) as refunds_minor,\n"
        ),
        tests=REVENUE_TESTS,
    ),
    Mutation(
        name="lost-disputes-in-the-opening-month",
        file=REVENUE,
        find="cast(date_trunc('month', coalesce(closed_at, created_at)) as date) as month,",
        replace="cast(date_trunc('month', created_at) as date) as month,",
        tests=REVENUE_TESTS,
    ),
    Mutation(
        name="emails-merged-across-inner-spaces",
        file="dbt_project/macros/emails.sql",
        find=(
            "'^[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+"
            "|[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+$',"
        ),
        replace="'[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+',",
        tests=PERSONS_TESTS,
    ),
    Mutation(
        name="deleted-customers-stay-persons",
        file="dbt_project/models/intermediate/int_persons.sql",
        find="    where is_deleted is not true\n",
        replace="",
        tests=(
            "tests/dbt/test_older_shapes.py::test_marts_leave_deleted_customers_and_invoices_out",
            "tests/dbt/test_dbt_build.py::test_row_counts_equal_object_counts",
        ),
    ),
    Mutation(
        name="older-charges-capture-nothing",
        file="dbt_project/models/staging/stripe/stg_stripe__charges.sql",
        find="                    then cast({{ json_value('payload', '$.amount') }} as bigint)\n",
        replace="                    then 0\n",
        tests=(
            "tests/dbt/test_older_shapes.py::test_fields_older_versions_lack_are_derived_or_null",
        ),
    ),
    Mutation(
        # A released or lapsed Stripe authorization stays succeeded, unlike every gateway's.
        name="stripe-released-authorizations-stay-succeeded",
        file="dbt_project/models/intermediate/stripe/int_stripe__payments.sql",
        find="                and payment_intents.status = 'canceled'\n",
        replace="                and payment_intents.status = 'no such status'\n",
        tests=(
            "tests/dbt/test_stripe_statuses.py::test_payments_by_status_are_the_generators_charges",
            "tests/dbt/test_stripe_statuses.py::"
            "test_released_authorizations_keep_their_refund_and_count_no_refund",
        ),
    ),
    Mutation(
        name="stripe-sandbox-lapses-canceled-by-the-merchant",
        file="sandbox/stripe/render_payments.py",
        find=(
            '    return "automatic" if last is not None and last.lapsed'
            ' else "requested_by_customer"\n'
        ),
        replace='    return "requested_by_customer"\n',
        tests=(
            "tests/sandbox/test_stripe_render.py::"
            "test_an_authorization_left_past_its_expiry_is_canceled_by_stripe",
        ),
    ),
)
