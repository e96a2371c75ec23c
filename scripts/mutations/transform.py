"""Wrong rules of the transform's no-change skip and of serving (review, 2026-12-03): a build
never published taken for the served one, a landing whose change leaves no generation, a failed
build's record kept, the watermark read at many moments, a mart missing, an adapter upgrade
unseen; dashboards reading dbt's own marts or able to write."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

_SKIP = "tests/dbt/test_incremental_skip.py::"
_DAGSTER = f"{_SKIP}test_the_dagster_asset_builds_what_was_not_published_and_forgets_a_failed_build"

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        name="transform-skip-serves-an-unpublished-build",
        file="pipelines/lib/raw_watermark.py",
        find='    if served is None or recorded.get("build") != served:\n',
        replace="    if False:\n",
        tests=(
            f"{_SKIP}test_a_build_not_published_builds_again[duckdb]",
            f"{_SKIP}test_a_build_not_published_builds_again[postgres]",
        ),
    ),
    Mutation(
        name="transform-skip-ignores-the-generation",
        file="pipelines/lib/raw_watermark.py",
        find='        raw[f"{schema}.{name}"] = [count, newest, generation]\n',
        replace='        raw[f"{schema}.{name}"] = [count, newest, 0]\n',
        tests=(
            f"{_SKIP}test_a_change_landed_with_an_earlier_clock_builds[duckdb]",
            f"{_SKIP}test_a_change_landed_with_an_earlier_clock_builds[postgres]",
        ),
    ),
    Mutation(
        name="transform-watermark-read-at-many-moments",
        file="pipelines/lib/raw_watermark.py",
        find="        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ\n",
        replace="        pass\n",
        tests=(f"{_SKIP}test_on_postgresql_every_table_is_read_at_one_moment[postgres]",),
    ),
    Mutation(
        name="dashboards-read-dbts-own-marts",
        file="dashboards/data.py",
        find='    return SERVING if engine() == "postgres" else "marts"\n',
        replace='    return "marts"\n',
        tests=(
            "tests/dashboards/test_postgres_serving.py::test_the_pages_read_the_published_build",
        ),
    ),
    Mutation(
        name="dashboards-connection-writable",
        file="dashboards/data.py",
        find='                options="-c default_transaction_read_only=on",\n',
        replace="",
        tests=(
            "tests/dashboards/test_postgres_read_only.py::"
            "test_the_dashboards_connection_refuses_writes",
        ),
    ),
    Mutation(
        name="transform-skip-with-any-one-mart",
        file="pipelines/lib/raw_watermark.py",
        find='not set(marts) <= set(watermark["marts"])',
        replace='not set(marts) & set(watermark["marts"])',
        tests=(f"{_SKIP}test_every_mart_of_the_manifest_must_be_built[duckdb]",),
    ),
    Mutation(
        name="project-key-without-the-adapters",
        file="pipelines/lib/dbt_parse_state.py",
        find='TOOLS = ("dbt-core", "dbt-adapters", "dbt-duckdb",',
        replace='TOOLS = ("dbt-core",) or ("dbt-adapters", "dbt-duckdb",',
        tests=(
            "tests/pipelines/test_dbt_parse_state.py::"
            "test_an_upgraded_adapter_or_engine_or_another_target_is_another_project[dbt-duckdb]",
        ),
    ),
    Mutation(
        name="landing-moves-no-generation-duckdb",
        file="pipelines/extract/landing.py",
        find="        if counts[0] + counts[1] + removed:\n",
        replace="        if False:\n",
        tests=(f"{_SKIP}test_a_change_landed_with_an_earlier_clock_builds[duckdb]",),
    ),
    Mutation(
        name="landing-moves-no-generation-postgres",
        file="pipelines/extract/engines/postgres.py",
        find="        if counts[0] + counts[1] + removed:",
        replace="        if False:",
        tests=(f"{_SKIP}test_a_change_landed_with_an_earlier_clock_builds[postgres]",),
    ),
    Mutation(
        # A landing stamps its rows with the clock alone: after a clock that ran ahead is
        # corrected, rows land older than the incremental models' cutoff and are never built.
        name="landing-stamp-goes-back-with-the-clock",
        file="pipelines/extract/statements.py",
        find='        "greatest(current_timestamp, coalesce("\n',
        replace='        "least(current_timestamp, coalesce("\n',
        tests=(
            f"{_SKIP}test_a_landing_never_stamps_rows_earlier_than_the_newest_stamp[duckdb]",
            f"{_SKIP}test_a_landing_never_stamps_rows_earlier_than_the_newest_stamp[postgres]",
        ),
    ),
    Mutation(
        # Publishing copies whatever marts dbt left, with no successful build recorded (one
        # that failed midway, started after the build this run waited for).
        name="publish-without-a-recorded-build",
        file="pipelines/defs/publish.py",
        find="        if build is None:\n",
        replace="        if False:\n",
        tests=(_DAGSTER,),
    ),
    Mutation(
        # A forced build (no watermark) leaves no record: its publishing refuses.
        name="transform-records-no-forced-build",
        file="pipelines/defs/transform.py",
        find="        if state.succeeded:  # a forced build too",
        replace="        if state.succeeded and watermark is not None:  # a forced build too",
        tests=(_DAGSTER,),
    ),
    Mutation(
        # The transform decides on a full refresh and logs it, but dbt builds incrementally.
        name="transform-full-refresh-never-reaches-dbt",
        file="pipelines/defs/transform.py",
        find='            + (["--full-refresh"] if full else []),',
        replace="            + ([] if full else []),",
        tests=(_DAGSTER,),
    ),
    Mutation(
        name="transform-keeps-a-failed-builds-record",
        file="pipelines/defs/transform.py",
        find="        raw_watermark.forget(kept)  # a build killed midway",
        replace="        (kept)  # a build killed midway",
        tests=(_DAGSTER,),
    ),
)
