"""Wrong rules of the incremental build (issue 16, item 7; DECISIONLOG.md, 2026-12-03, room
incr): each must make an incremental build differ from a full one of the same raw rows."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

TEST = (
    "tests/dbt/test_incremental_equals_full.py::"
    "test_an_incremental_duckdb_build_equals_a_full_one[contracts-tables]"
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        # A changed dbt project builds incrementally: rows the old code computed stay.
        name="incremental-project-change-not-a-full-refresh",
        file="pipelines/lib/raw_watermark.py",
        find='    return not recorded or recorded.get("project") != key\n',
        replace="    return not recorded\n",
        tests=(
            "tests/dbt/test_incremental_skip.py::"
            "test_rows_of_another_project_or_an_unknown_build_are_built_again_in_full[duckdb]",
        ),
    ),
    Mutation(
        # The lookback runs the wrong way: the cutoff a day after the newest row built, so a
        # row landed while the last build read is never re-selected.
        name="incremental-lookback-the-wrong-way",
        file="dbt_project/macros/incremental.sql",
        find="-1 * (var('incremental_lookback_hours', 24) | int)",
        replace="1 * (var('incremental_lookback_hours', 24) | int)",
        tests=(TEST,),
    ),
    Mutation(
        # No lookback: the cutoff is the newest row built, so a row that committed while the
        # last build read (older synced_at than rows it saw) is never selected.
        name="incremental-no-lookback",
        file="dbt_project/macros/incremental.sql",
        find="-1 * (var('incremental_lookback_hours', 24) | int)",
        replace="0 * (var('incremental_lookback_hours', 24) | int)",
        tests=(TEST,),
    ),
    Mutation(
        # Rows whose person changed are not re-selected: a new customer merging two people
        # leaves the old rows of one of them on the old person_id.
        name="incremental-person-remap-dropped",
        file="dbt_project/macros/incremental.sql",
        find="        and built.person_id is distinct from persons.person_id\n",
        replace="        and false\n",
        tests=(TEST,),
    ),
    Mutation(
        # Keys no longer computed stay: a charge pruned from raw, a deleted invoice and its
        # timeline events outlive their objects.
        name="incremental-prune-dropped",
        file="dbt_project/macros/incremental.sql",
        find="    {%- if is_incremental() -%}\n",
        replace="    {%- if false -%}\n",
        tests=(TEST,),
    ),
)
