"""Wrong rules of the transform's no-change skip and of serving (review, 2026-12-03): a build
never published taken for the served one, a landing whose change leaves no generation, a failed
build's record kept, the watermark read at many moments, a mart missing, an adapter upgrade
unseen; dashboards reading dbt's own marts or able to write."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

_SKIP = "tests/dbt/test_incremental_skip.py::"

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
        name="transform-keeps-a-failed-builds-record",
        file="pipelines/defs/transform.py",
        find="        raw_watermark.forget(kept)  # a build killed midway",
        replace="        (kept)  # a build killed midway",
        tests=(
            f"{_SKIP}test_the_dagster_asset_builds_what_was_not_published_and_forgets_a_failed_build",
        ),
    ),
)
