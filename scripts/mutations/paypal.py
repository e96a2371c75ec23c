"""PayPal's own wrong rules: reversals, authorizations, resume, token scrubbing."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

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
            "                and payments.status in ('S', 'P')\n"
        ),
        replace="                payments.status in ('S', 'P')\n",
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
)
