"""Wrong rules of the Spark build's serving copy (pipelines/lib/publish_spark.py): the
dashboards' DuckDB snapshot made from Spark's Parquet must hold DuckDB's types (money exact
integers, UTC wall times where DuckDB's marts have them) and the build's stamp."""

from __future__ import annotations

from scripts.mutations.mutation import Mutation

_CAST = 'f\'cast("{name}" as {data_type}) as "{name}"\''
_TYPES = (
    "tests/pipelines/test_publish_spark.py::"
    "test_spark_marts_are_published_with_duckdbs_types_and_the_builds_stamp",
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        # Money read through a float: a bigint of minor units above 2**53 loses its last unit.
        name="spark-publish-money-as-double",
        file="pipelines/lib/publish_spark.py",
        find=_CAST,
        replace=(
            'f\'cast("{name}" as {"double" if name.endswith("_minor") else data_type})'
            ' as "{name}"\''
        ),
        tests=_TYPES,
    ),
    Mutation(
        # Spark's Parquet types kept: every timestamp becomes a timestamptz, which DuckDB's
        # marts (and the pages' date arithmetic) have only for synced_at.
        name="spark-publish-keeps-parquet-types",
        file="pipelines/lib/publish_spark.py",
        find=_CAST,
        replace="f'\"{name}\"'",
        tests=(
            *_TYPES,
            "tests/dbt/test_publish_spark_types.py::"
            "test_the_spark_snapshot_has_duckdbs_types_and_rows",
        ),
    ),
    Mutation(
        # The snapshot not stamped with the build: the transform's skip rule never sees the
        # build served, so every run builds again.
        name="spark-publish-without-build-stamp",
        file="pipelines/lib/publish_spark.py",
        find="    return write_snapshot(published_dir, fill, schema, build)\n",
        replace="    return write_snapshot(published_dir, fill, schema, None)\n",
        tests=_TYPES,
    ),
    Mutation(
        # On PostgreSQL a build that succeeded after the publish readers see (its own publish
        # failed) goes unsaid: the pages look current while they show an older build.
        name="pages-never-say-a-newer-build-is-unpublished",
        file="dashboards/notices.py",
        find='        status.get("status") == "success"\n',
        replace='        status.get("status") == "never"\n',
        tests=(
            "tests/dashboards/test_postgres_serving.py::test_the_pages_read_the_published_build",
        ),
    ),
)
