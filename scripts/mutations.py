"""`make test-mutations`: the suite must fail when a business rule is broken.

Each mutation below is a deliberate wrong rule: in one file, an exact text replaced by a wrong
one, and the pytest node ids that must then fail. The check copies the git-tracked (and new,
not ignored) files to a temporary directory, symlinks `.venv`, and for each mutation in turn
applies it to the copy, runs only its tests (`-x -q`, PYTHONPATH = the copy), and restores the
file. It fails when:
- a mutation's find text does not occur exactly once in its file (checked for every mutation
  before anything runs, so the list cannot rot silently when the code changes),
- the named tests do not pass on the unmutated copy (a red baseline proves nothing),
- a mutation leaves its tests passing (the rule is unguarded),
- a mutation marked `known_gap` is now caught (remove the mark: the gap is closed).
A mutation whose tests time out counts as caught (a wrong rule that hangs is still noticed).

    python -m scripts.mutations [--only NAME ...] [--list] [--skip-baseline] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 420


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    find: str
    replace: str
    tests: tuple[str, ...]
    # Why today's suite does not catch it yet (the check then expects it to survive).
    known_gap: str | None = None


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
        find="                    then cast(json_extract(payload, '$.amount') as bigint)\n",
        replace="                    then 0\n",
        tests=(
            "tests/dbt/test_older_shapes.py::test_fields_older_versions_lack_are_derived_or_null",
        ),
    ),
    Mutation(
        name="event-overlap-dropped",
        file="gateways/stripe/changes.py",
        find="EVENT_OVERLAP_SECONDS = 10 * 60",
        replace="EVENT_OVERLAP_SECONDS = 0",
        tests=(
            "tests/pipelines/extract/test_stripe_event_signals.py::"
            "test_an_event_that_becomes_visible_late_is_still_seen",
        ),
    ),
    Mutation(
        name="card-details-kept",
        file="pipelines/extract/batch.py",
        find=(
            "        if self.cards.needs_scrub(raw):\n"
            "            raw = orjson.dumps(self.cards.scrub(obj))\n"
        ),
        replace="",
        tests=(
            "tests/pipelines/extract/test_card_data.py::"
            "test_no_raw_table_keeps_card_details_beyond_the_five",
        ),
    ),
    Mutation(
        name="last-page-of-a-listing-lost",
        file="gateways/stripe/gateway.py",
        find="            yield Page(data, last_id, has_more, served_at)\n",
        replace=(
            "            if has_more:\n"
            "                yield Page(data, last_id, has_more, served_at)\n"
        ),
        tests=(
            "tests/gateways/test_stripe_gateway.py::test_pages_are_plain_dicts_newest_first_resumable",
            "tests/pipelines/extract/test_stripe_full_and_incremental.py::"
            "test_full_load_equals_what_the_sandbox_serves",
        ),
    ),
    Mutation(
        name="resume-forgets-the-high-water-mark",
        file="pipelines/extract/runner.py",
        find="            high = cursor.resume.high_water\n",
        replace="            high = None\n",
        tests=(
            "tests/pipelines/test_kill_mid_listing.py::"
            "test_sigkill_between_batches_then_rerun_equals_a_clean_run",
        ),
    ),
    Mutation(
        name="key-scrubbing-removed",
        file="gateways/stripe/transport.py",
        find="        return redact(text, self._key)\n",
        replace="        return text\n",
        tests=(
            "tests/gateways/test_key_scrubbing.py::test_gateway_errors_hold_no_part_of_the_key",
            "tests/gateways/test_key_scrubbing.py::"
            "test_extraction_errors_and_logs_hold_no_part_of_the_key",
        ),
    ),
    Mutation(
        # The cursor saved in its own (autocommitted) statement before the rows' transaction:
        # a batch that then fails, or a process killed in between, leaves a cursor past rows
        # that never landed, and the next run resumes after them.
        name="cursor-outside-the-rows-transaction",
        file="pipelines/extract/landing.py",
        find=("    con.begin()\n    try:\n        counts = _upsert_rows(con, table, batch)\n"),
        replace=(
            "    if batch.cursor is not None:\n"
            "        con.execute(\n"
            '            "insert into ledgerdesk.cursors values'
            ' (?, ?, ?, ?::json, current_timestamp)"\n'
            '            " on conflict (gateway, account_id, entity) do update"\n'
            '            " set cursor = excluded.cursor, updated_at = excluded.updated_at",\n'
            "            [*key, orjson.dumps(batch.cursor).decode()],\n"
            "        )\n"
            "    con.begin()\n"
            "    try:\n"
            "        counts = _upsert_rows(con, table, batch)\n"
        ),
        tests=(
            "tests/pipelines/extract/test_landing.py::"
            "test_a_failing_batch_writes_nothing_not_even_its_cursor",
        ),
    ),
    # The pipeline's dbt runs reuse parse state only for an unchanged project (DECISIONLOG.md).
    Mutation(
        name="dbt-parse-state-kept-for-an-edited-project",
        file="pipelines/lib/dbt_parse_state.py",
        find="        digest.update(hashlib.sha256(path.read_bytes()).digest())\n",
        replace="",
        tests=(
            "tests/pipelines/test_dbt_parse_state.py::"
            "test_a_changed_project_is_offered_no_state[edited]",
        ),
    ),
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
        find="        split = halves(field, lo, hi) if count >= cap else None\n",
        replace="        split = halves(field, lo, hi) if count > cap else None\n",
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
    # --- writer: landing off the fetch threads (pipelines/extract/) ---
    Mutation(
        name="writer-jobs-out-of-order",
        file="pipelines/extract/writer.py",
        find="            return self._jobs.popleft()\n",
        replace="            return self._jobs.pop()\n",
        tests=(
            "tests/pipelines/extract/test_writer.py::"
            "test_jobs_run_in_order_on_one_kept_connection_then_the_lock_is_free",
        ),
    ),
    Mutation(
        name="writer-two-batches-in-flight",
        file="pipelines/extract/lander.py",
        find=(
            "        self.settle()\n"
            "        future = self.writer.submit(lambda con: land_into(con, batch))\n"
        ),
        replace=(
            "        future = self.writer.submit(lambda con: land_into(con, batch))\n"
            "        self.settle()\n"
        ),
        tests=(
            "tests/pipelines/extract/test_writer.py::"
            "test_a_failed_batch_stops_its_run_before_anything_after_it_lands",
        ),
    ),
    Mutation(
        name="writer-cursor-after-its-rows-commit",
        file="pipelines/extract/landing.py",
        find="        removed = _mark_listed_and_prune(con, table, batch)\n",
        replace=(
            "        removed = _mark_listed_and_prune(con, table, batch)\n"
            "        con.commit()\n"
            "        con.begin()\n"
        ),
        tests=(
            "tests/pipelines/extract/test_landing.py::"
            "test_a_batch_whose_cursor_cannot_be_saved_lands_none_of_its_rows",
        ),
    ),
    Mutation(
        name="read-ahead-two-pages-ahead",
        file="pipelines/extract/read_ahead.py",
        find="    slots = threading.Semaphore(depth)\n",
        replace="    slots = threading.Semaphore(depth + 1)\n",
        tests=(
            "tests/pipelines/extract/test_read_ahead.py::"
            "test_one_ahead_means_one_page_read_and_not_taken",
        ),
    ),
    Mutation(
        name="read-ahead-listing-left-open",
        file="pipelines/extract/runner.py",
        find="        with closing(self._listing(bound, after)) as pages:",
        replace="        for pages in [self._listing(bound, after)]:",
        tests=(
            "tests/pipelines/extract/test_read_ahead.py::"
            "test_a_run_whose_batch_fails_ends_its_reading_thread_before_it_raises",
        ),
    ),
)


def check_find_texts(root: Path, mutations: tuple[Mutation, ...]) -> list[str]:
    """One problem per mutation whose find text is not in its file exactly once."""
    problems = []
    for m in mutations:
        path = root / m.file
        if not path.is_file():
            problems.append(f"{m.name}: {m.file} does not exist")
            continue
        count = path.read_text().count(m.find)
        if count != 1:
            problems.append(
                f"{m.name}: the find text occurs {count} times in {m.file} (must be exactly 1); "
                f"update the mutation list in scripts/mutations.py:\n{_indent(m.find)}"
            )
        if m.find == m.replace:
            problems.append(f"{m.name}: the replacement equals the find text")
    return problems


def copy_project(dest: Path) -> None:
    """The git-tracked and new (not ignored) files, as they are in the work tree now."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for rel in filter(None, listed):
        src = ROOT / rel
        if rel == ".venv" or rel.startswith(".venv/") or not src.is_file():
            continue  # deleted in the work tree, or the venv (linked below)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    (dest / ".venv").symlink_to((ROOT / ".venv").resolve(), target_is_directory=True)
    # dagster-dbt reads dbt's manifest when the code location loads (the launcher's tests):
    # the copy parses its own project once, as `make manifest` does for the tree.
    dbt = (ROOT / ".venv" / "bin" / "dbt").resolve()
    project = dest / "dbt_project"
    subprocess.run(
        [str(dbt), "parse", "--quiet", "--project-dir", str(project), "--profiles-dir",
         str(project)],
        cwd=project, check=True, timeout=300,
        env={**os.environ, "LEDGERDESK_WAREHOUSE": str(dest / "data" / "warehouse.duckdb")},
    )  # fmt: skip


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[str, float, str]:
    """('passed' | 'failed' | 'timeout', seconds, tail of the output)."""
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop("LEDGERDESK_CONFIG", None)
    env.pop("LEDGERDESK_WAREHOUSE", None)
    cmd = [str(copy / ".venv" / "bin" / "python"), "-m", "pytest", "-x", "-q",
           "-p", "no:cacheprovider", *tests]  # fmt: skip
    started = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - started, ""
    output = (proc.stdout + proc.stderr).strip().splitlines()
    # pytest exits 1 when tests failed; 2-5 (interrupted, internal error, usage error such as
    # a test id that no longer exists, nothing collected) say nothing about the mutation.
    status = {0: "passed", 1: "failed"}.get(
        proc.returncode, f"error (pytest exit {proc.returncode})"
    )
    return status, time.monotonic() - started, "\n".join(output[-15:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only this mutation (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--skip-baseline", action="store_true", help="trust a green suite")
    parser.add_argument("-v", "--verbose", action="store_true", help="show how each failed")
    args = parser.parse_args(argv)
    mutations = MUTATIONS
    if args.only:
        unknown = set(args.only) - {m.name for m in MUTATIONS}
        if unknown:
            print(f"unknown mutation(s): {sorted(unknown)}", file=sys.stderr)
            return 2
        mutations = tuple(m for m in MUTATIONS if m.name in args.only)
    if args.list:
        for m in mutations:
            gap = f"  [known gap: {m.known_gap}]" if m.known_gap else ""
            print(f"{m.name}: {m.file} -> {', '.join(m.tests)}{gap}")
        return 0
    problems = check_find_texts(ROOT, MUTATIONS)
    if problems:
        print("MUTATION LIST IS STALE:\n" + "\n".join(problems), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ledgerdesk-mutations-") as tmp:
        copy = Path(tmp) / "project"
        copy_project(copy)
        if not args.skip_baseline:
            union = tuple(dict.fromkeys(t for m in mutations for t in m.tests))
            status, seconds, tail = run_tests(copy, union)
            print(f"baseline ({len(union)} tests): {status} in {seconds:.0f}s", flush=True)
            if status != "passed":
                print(f"the named tests must pass unmutated first:\n{tail}", file=sys.stderr)
                return 1
        failures = []
        for m in mutations:
            path = copy / m.file
            original = path.read_text()
            path.write_text(original.replace(m.find, m.replace, 1))
            try:
                status, seconds, tail = run_tests(copy, m.tests)
            finally:
                path.write_text(original)
            caught = status in ("failed", "timeout")
            if m.known_gap:
                verdict = "KNOWN GAP, still not caught" if not caught else "CAUGHT (gap closed)"
                if caught:
                    failures.append(f"{m.name}: now caught; remove its known_gap mark")
            else:
                verdict = "caught" if caught else "NOT CAUGHT"
                if not caught:
                    failures.append(f"{m.name}: {', '.join(m.tests)} still pass")
            print(f"{m.name}: {verdict} ({status}, {seconds:.0f}s)", flush=True)
            if caught and args.verbose:
                print(_indent(tail), flush=True)
        if failures:
            print("\nMUTATION CHECK FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
    print(f"\nall {len(mutations)} mutations behave as listed")
    return 0


def _indent(text: str) -> str:
    return "\n".join(f"    | {line}" for line in text.splitlines())


if __name__ == "__main__":
    sys.exit(main())
