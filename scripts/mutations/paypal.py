"""PayPal's own wrong rules: reversals, authorizations, resume, token scrubbing."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

PAYPAL_E2E = "tests/pipelines/test_paypal_end_to_end.py::"
PAYPAL_SEARCH = "tests/sandbox/test_paypal_search.py::"

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        name="paypal-reversals-count-as-refunds",
        file="dbt_project/models/intermediate/paypal/int_paypal__refunds.sql",
        find="    where event_code = 'T1107'\n",
        replace="    where event_code in ('T1107', 'T1106')\n",
        tests=(
            "tests/pipelines/test_paypal_end_to_end.py::"
            "test_totals_equal_the_generators_share_to_the_minor_unit",
        ),
    ),
    Mutation(
        name="paypal-open-authorizations-count-as-captured",
        file="dbt_project/models/intermediate/paypal/int_paypal__payments.sql",
        find=(
            "                not payments.is_open_or_voided_authorization\n"
            "                and payments.status in ('S', 'P', 'V')\n"
        ),
        replace="                payments.status in ('S', 'P', 'V')\n",
        tests=(
            "tests/pipelines/test_paypal_end_to_end.py::"
            "test_authorizations_open_voided_and_captured_as_the_generator_made_them",
            "tests/pipelines/test_paypal_end_to_end.py::"
            "test_totals_equal_the_generators_share_to_the_minor_unit",
        ),
    ),
    Mutation(
        name="paypal-authorizations-listed-balance-affecting-only",
        file="gateways/paypal/reader.py",
        find='("balance_affecting_records_only", "N")',
        replace='("balance_affecting_records_only", "Y")',
        tests=(
            "tests/gateways/test_paypal_reader.py::"
            "test_authorizations_are_listed_only_with_balance_affecting_records_only_n",
        ),
    ),
    Mutation(
        name="paypal-resume-asks-past-the-windows-last-page",
        file="gateways/paypal/reader.py",
        find="            done = bool(pages) and page >= pages[0]\n",
        replace="            done = False\n",
        tests=(
            "tests/gateways/test_paypal_reader.py::"
            "test_resume_past_a_windows_last_page_goes_on_to_the_next_window_or_ends",
        ),
    ),
    Mutation(
        name="paypal-refused-token-left-in-messages",
        file="gateways/paypal/transport.py",
        find="*self.tokens.held()",
        replace="self.tokens._token",
        tests=(
            "tests/gateways/test_paypal_scrubbing.py::"
            "test_a_refused_token_appears_in_no_error_or_log",
        ),
    ),
    Mutation(
        name="paypal-basic-credential-left-in-messages",
        file="gateways/paypal/transport.py",
        find="(self._secret, self._basic, ",
        replace="(self._secret, ",
        tests=(
            "tests/gateways/test_paypal_scrubbing.py::"
            "test_the_token_requests_basic_credential_appears_in_no_error_or_log",
        ),
    ),
    Mutation(
        name="paypal-staging-keyed-on-transaction-id-alone",
        file="dbt_project/models/staging/paypal/_paypal__models.yml",
        find="combination_of_columns: [account_id, transaction_id, is_balance_affecting]",
        replace="combination_of_columns: [account_id, transaction_id]",
        tests=(PAYPAL_E2E + "test_an_id_listed_twice_stays_two_rows_and_every_payment_id_one",),
    ),
    Mutation(
        name="paypal-sandbox-ids-never-listed-twice",
        file="sandbox/paypal/render.py",
        find='    if charge.captured and _half(charge, "shared-id"):\n',
        replace="    if False:\n",
        tests=(
            PAYPAL_SEARCH + "test_some_authorizations_share_their_captures_id_as_the_spec_allows",
            PAYPAL_E2E + "test_an_id_listed_twice_stays_two_rows_and_every_payment_id_one",
        ),
    ),
    Mutation(
        name="paypal-authorizations-listed-by-t1300-only",
        file="gateways/paypal/reader.py",
        find='    "authorizations": [("balance_affecting_records_only", "N")],\n',
        replace=(
            '    "authorizations": [("balance_affecting_records_only", "N"), '
            '("transaction_type", "T1300")],\n'
        ),
        tests=(
            "tests/gateways/test_paypal_reader.py::"
            "test_authorizations_are_listed_only_with_balance_affecting_records_only_n",
        ),
    ),
    Mutation(
        name="paypal-authorizations-keep-balance-affecting-rows",
        file="gateways/paypal/reader.py",
        find="if not isinstance(c, str) or c.startswith(AUTHORIZATION_CODES)]",
        replace="if True]",
        tests=(
            "tests/gateways/test_paypal_reader.py::"
            "test_the_authorizations_listing_keeps_only_the_t13_rows",
            "tests/gateways/test_paypal_reader.py::"
            "test_authorizations_are_listed_only_with_balance_affecting_records_only_n",
        ),
    ),
    Mutation(
        name="paypal-void-rows-ignored",
        file="dbt_project/models/intermediate/paypal/int_paypal__payments.sql",
        find="(transactions.status = 'V' or coalesce(voids.is_succeeded, false))",
        replace="transactions.status = 'V'",
        tests=(
            PAYPAL_E2E + "test_authorizations_open_voided_and_captured_as_the_generator_made_them",
        ),
    ),
    Mutation(
        name="paypal-sandbox-voids-in-one-form",
        file="sandbox/paypal/render.py",
        find="    return charge.released_at is not None and not charge.captured and _half(",
        replace="    return False and _half(",
        tests=(
            PAYPAL_SEARCH + "test_voids_are_the_rows_v_or_a_void_row_and_lapses_are_merchant_voids",
        ),
    ),
    Mutation(
        name="paypal-refunded-in-full-payments-lose-gross",
        file="dbt_project/models/intermediate/paypal/int_paypal__payments.sql",
        find=(
            "                and payments.status in ('S', 'P', 'V')\n"
            "                then payments.amount_minor\n"
        ),
        replace=(
            "                and payments.status in ('S', 'P')\n"
            "                then payments.amount_minor\n"
        ),
        tests=(PAYPAL_E2E + "test_totals_equal_the_generators_share_to_the_minor_unit",),
    ),
    Mutation(
        name="paypal-sandbox-refunded-payments-stay-s",
        file="sandbox/paypal/render.py",
        find='status="V" if fully_refunded(charge) else TXN_STATUS[charge.status],',
        replace="status=TXN_STATUS[charge.status],",
        tests=(
            PAYPAL_SEARCH + "test_a_payment_refunded_in_full_is_v_the_others_keep_their_status",
        ),
    ),
    Mutation(
        name="paypal-sandbox-lapses-expire",
        file="sandbox/paypal/render_payments.py",
        find='        "status": {"S": "CAPTURED", "V": "VOIDED", "P": "CREATED"}[state],\n',
        replace=(
            '        "status": "EXPIRED" if charge.lapsed else '
            '{"S": "CAPTURED", "V": "VOIDED", "P": "CREATED"}[state],\n'
        ),
        tests=(
            PAYPAL_SEARCH + "test_voids_are_the_rows_v_or_a_void_row_and_lapses_are_merchant_voids",
        ),
    ),
    Mutation(
        name="paypal-sandbox-lowercase-balance-flag-accepted",
        file="sandbox/paypal/handlers.py",
        find='        balance = param(req, "balance_affecting_records_only") or "Y"\n',
        replace='        balance = (param(req, "balance_affecting_records_only") or "Y").upper()\n',
        tests=(PAYPAL_SEARCH + "test_balance_affecting_records_only_takes_only_y_or_n",),
    ),
)
