"""Wrong extraction and pipeline rules: cursors, resume, pages, card data, key scrubbing, dbt
parse state."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

MUTATIONS: tuple[Mutation, ...] = (
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
        name="card-scrub-nested-cut-lost",
        file="gateways/cards.py",
        find="            if cut is not item:\n                changed[key] = cut\n",
        replace="",
        tests=(
            "tests/pipelines/extract/test_card_data.py::"
            "test_no_raw_table_keeps_card_details_beyond_the_five",
        ),
    ),
    Mutation(
        # One upsert for every engine (statements.py): DuckDB's and PostgreSQL's landing alike.
        name="postgres-older-version-wins",
        file="pipelines/extract/statements.py",
        find=(
            "            where excluded.payload_hash <> t.payload_hash\n"
            '                and excluded.version_at >= t.version_at"""\n'
        ),
        replace='            where excluded.payload_hash <> t.payload_hash"""\n',
        tests=("tests/pipelines/test_landing_engines.py::test_landing_equals_duckdb[postgres]",),
    ),
    Mutation(
        name="pacer-budget-per-process",
        file="gateways/pacing.py",
        find="            if self._state_fd is None:\n",
        replace="            if True:\n",
        tests=(
            "tests/gateways/test_pacing.py::test_processes_naming_one_state_file_share_one_budget",
        ),
    ),
    Mutation(
        name="pacer-first-come-first-served",
        file="gateways/pacing.py",
        find="            i = bisect.bisect_right(booked, at - gap)\n",
        replace=(
            "            at = max(at, booked[-1] + gap) if booked else at\n"
            "            i = len(booked)\n"
        ),
        tests=(
            "tests/gateways/test_pacing.py"
            "::test_a_path_waiting_for_its_own_limit_holds_no_other_path_back",
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
        find=("        self.settle()\n        future = self.writer.land(batch)\n"),
        replace=("        future = self.writer.land(batch)\n        self.settle()\n"),
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
    Mutation(
        name="transform-skip-ignores-changed-rows",
        file="pipelines/lib/raw_watermark.py",
        find='        raw[f"{schema}.{name}"] = [count, newest, generation]\n',
        replace='        raw[f"{schema}.{name}"] = [count, None, 0]\n',
        tests=(
            "tests/dbt/test_incremental_skip.py::"
            "test_any_raw_change_or_missing_mart_builds[duckdb-row-changed]",
        ),
    ),
    Mutation(
        name="transform-skip-ignores-the-project",
        file="pipelines/lib/raw_watermark.py",
        find='recorded.get("project") == key and recorded.get("raw") == watermark["raw"]\n',
        replace='recorded.get("raw") == watermark["raw"]\n',
        tests=(
            "tests/dbt/test_incremental_skip.py::"
            "test_a_changed_project_or_a_forgotten_build_builds[duckdb]",
        ),
    ),
)
