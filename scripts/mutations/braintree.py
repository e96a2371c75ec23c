"""Braintree's own wrong rules: statuses, authorizations, change windows, disputes."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation
from scripts.mutations.targets import (
    BRAINTREE_CHANGES,
    BRAINTREE_TOTALS,
    BRAINTREE_WINDOWS,
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        name="braintree-authorizations-count-as-captured",
        file="dbt_project/models/intermediate/braintree/int_braintree__payments.sql",
        find=(
            "                    'submitted_for_settlement', 'settling', 'settled', "
            "'settlement_pending',\n                    'settlement_confirmed'\n"
            "                )\n                then sales.amount_minor\n"
        ),
        replace=(
            "                    'submitted_for_settlement', 'settling', 'settled', "
            "'settlement_pending',\n                    'settlement_confirmed', 'authorized'\n"
            "                )\n                then sales.amount_minor\n"
        ),
        tests=(BRAINTREE_TOTALS,),
    ),
    Mutation(
        name="braintree-expired-authorizations-fail",
        file="dbt_project/models/intermediate/braintree/int_braintree__payments.sql",
        find="when sales.status in ('voided', 'authorization_expired') then 'canceled'",
        replace="when sales.status in ('voided') then 'canceled'",
        tests=(
            "tests/pipelines/test_braintree_end_to_end.py::"
            "test_payments_by_status_are_the_generators_charges",
        ),
    ),
    Mutation(
        name="braintree-sandbox-authorizations-never-expire",
        file="sandbox/braintree/render_transactions.py",
        find="        elif expires <= HISTORY_END:\n",
        replace="        elif False:\n",
        tests=(
            "tests/sandbox/test_braintree_authorizations.py::"
            "test_uncaptured_authorizations_as_the_business_left_them",
        ),
    ),
    Mutation(
        name="braintree-refunds-in-flight-count-as-succeeded",
        file="dbt_project/models/intermediate/braintree/int_braintree__refunds.sql",
        find="            when credits.status in ('settled', 'settling') then 'succeeded'\n",
        replace=(
            "            when credits.status in ('settled', 'settling', 'submitted_for_settlement')"
            " then 'succeeded'\n"
        ),
        tests=(BRAINTREE_TOTALS,),
    ),
    Mutation(
        name="braintree-capped-windows-not-halved",
        file="gateways/braintree/windows.py",
        find="        if count < cap:\n",
        replace="        if count <= cap:\n",
        tests=(
            BRAINTREE_CHANGES + "test_status_date_windows_at_the_cap_are_halved",
            "tests/gateways/test_braintree_reader.py::"
            "test_a_window_at_the_cap_is_halved_until_complete",
        ),
    ),
    Mutation(
        name="braintree-change-window-fixed-at-two-days",
        file="gateways/braintree/reader.py",
        find="        low = cursor.after - self.account.lookback_days * DAY",
        replace="        low = cursor.after - 2 * DAY",
        tests=(BRAINTREE_CHANGES + "test_the_change_window_is_the_accounts_lookback",),
    ),
    Mutation(
        name="braintree-expired-authorizations-not-searched",
        file="gateways/braintree/entities.py",
        find='                "authorization_expired_at",\n',
        replace="",
        tests=(BRAINTREE_CHANGES + "test_expired_authorizations_and_ach_returns_are_changes",),
    ),
    Mutation(
        name="braintree-ach-returns-not-searched",
        file="gateways/braintree/entities.py",
        find='                "ach_return_responses_created_at",\n',
        replace="",
        tests=(BRAINTREE_CHANGES + "test_expired_authorizations_and_ach_returns_are_changes",),
    ),
    Mutation(
        name="braintree-disputes-cursor-by-created-at",
        file="gateways/braintree/entities.py",
        find="        listed = braintree_time(obj[self.listed_by])\n",
        replace='        listed = braintree_time(obj["created_at"])\n',
        tests=(BRAINTREE_CHANGES + "test_the_disputes_cursor_moves_by_received_date",),
    ),
    Mutation(
        name="braintree-dispute-pages-of-fifty-assumed",
        file="gateways/braintree/reader.py",
        find="        page = skip // size + 1\n",
        replace="        page = skip // BATCH + 1\n",
        tests=(BRAINTREE_CHANGES + "test_dispute_pages_resume_in_the_gateways_page_size",),
    ),
    Mutation(
        name="braintree-resumed-date-window-read-twice",
        file="gateways/braintree/reader.py",
        find="            start = after(spec.listed_by, end)\n",
        replace="            start = end + 1\n",
        tests=(BRAINTREE_CHANGES + "test_dispute_pages_resume_in_the_gateways_page_size",),
    ),
    Mutation(
        name="braintree-capped-day-not-split-by-created-at",
        file="gateways/braintree/windows.py",
        find="        elif sub is None and within is not None and field in DATE_FIELDS:\n",
        replace="        elif False:\n",
        tests=(
            BRAINTREE_WINDOWS + "test_a_capped_day_is_split_by_created_at_and_read_whole",
            BRAINTREE_WINDOWS
            + "test_the_reader_reads_a_capped_disbursement_day_whole_from_the_sandbox",
        ),
    ),
    Mutation(
        name="braintree-capped-second-read-as-complete",
        file="gateways/braintree/windows.py",
        find="        else:\n            raise GatewayServerError(\n",
        replace=(
            "        else:\n            yield lo, hi, criteria, answer\n            continue\n"
            "            raise GatewayServerError(\n"
        ),
        tests=(
            BRAINTREE_WINDOWS + "test_a_window_capped_in_one_second_is_an_error_naming_it",
            BRAINTREE_WINDOWS + "test_a_capped_day_with_no_second_criterion_is_an_error",
        ),
    ),
    Mutation(
        name="braintree-add-ons-checked-without-the-subscriptions-currency",
        file="gateways/braintree/entities.py",
        find='money_problem(item.get(field), currency, f"{collection}.{field}")',
        replace='money_problem(item.get(field), None, f"{collection}.{field}")',
        tests=(
            "tests/ledgerdesk/test_money_sql.py::test_the_gateways_validate_with_the_same_rule",
        ),
    ),
    Mutation(
        name="braintree-add-on-amounts-not-validated",
        file="gateways/braintree/entities.py",
        find='            nested_money=(("add_ons", "amount"), ("discounts", "amount")),\n',
        replace="",
        tests=(
            "tests/gateways/test_braintree_reader.py::"
            "test_a_subscriptions_add_ons_and_discounts_validate_in_its_currency",
        ),
    ),
    Mutation(
        name="braintree-add-on-amounts-unchecked-in-dbt",
        file="dbt_project/tests/assert_braintree_amounts_convert_exactly.sql",
        find="        subscriptions.currency\n    from {{ ref('stg_braintree__subscription_add_ons",
        replace="        'USD' as currency\n    from {{ ref('stg_braintree__subscription_add_ons",
        tests=(
            "tests/dbt/test_braintree_amounts.py::test_every_inexact_braintree_amount_is_listed",
        ),
    ),
    Mutation(
        name="braintree-sandbox-release-drawn-at-expiry",
        file="sandbox/business/oddities.py",
        find="            drawn = rng.randint(HOUR, AUTH_EXPIRES - 1)",
        replace="            drawn = rng.randint(HOUR, AUTH_EXPIRES)",
        tests=(
            "tests/sandbox/test_braintree_authorizations.py::"
            "test_a_merchants_release_is_before_the_authorization_expires",
        ),
    ),
)
