"""Publish the marts on PostgreSQL: readers see one whole successful build, never dbt's
tables while it builds them.

dbt builds in place (`marts`, `intermediate`, `staging`: its own schemas, kept between
builds, since incremental models grow there), so a failed build leaves some marts new and
some old. Readers (dashboards/data.py) read the schema `serving` instead: after a successful
build the publish step copies every mart table, the email function and the build's
data-quality outcomes into a new schema and swaps it in for `serving` (drop + rename), all in
one transaction. PostgreSQL's DDL is transactional, so a reader sees the old schema or the
new one whole; a reader's query running at the swap finishes first (the drop waits for it),
and one starting meanwhile waits for the commit. `serving._published` says when and which
build (its id, raw_watermark.recorded_build)."""

from __future__ import annotations

from pipelines.lib.data_quality import DATA_QUALITY_COLUMNS

SERVING = "serving"
_NEXT = "serving_next"


def publish_postgres(dsn: str, build: str | None, schema: str = "marts") -> dict[str, int]:
    """Copy `schema`'s tables into a new serving schema and swap it in; rows per table."""
    import psycopg

    rows: dict[str, int] = {}
    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute(f"drop schema if exists {_NEXT} cascade")
        conn.execute(f"create schema {_NEXT}")
        tables = conn.execute(
            "select table_name from information_schema.tables"
            " where table_schema = %s and table_type = 'BASE TABLE' order by table_name",
            (schema,),
        ).fetchall()
        for (table,) in tables:
            copied = conn.execute(f'create table {_NEXT}."{table}" as table {schema}."{table}"')
            rows[table] = copied.rowcount
        _copy_functions(conn, schema)
        _copy_data_quality(conn)
        conn.execute(
            f"create table {_NEXT}._published as select"
            " cast(now() at time zone 'UTC' as timestamp) as published_at,"
            " %s::integer as table_count, %s::text as build_id",
            (len(tables), build),
        )
        conn.execute(f"drop schema if exists {SERVING} cascade")
        conn.execute(f"alter schema {_NEXT} rename to {SERVING}")
    return rows


def _copy_functions(conn, schema: str) -> None:
    """dbt's on-run-start functions of `schema` (marts.normalize_email), so readers apply
    the very rule of the build they read."""
    definitions = conn.execute(
        "select pg_get_functiondef(p.oid) from pg_proc as p"
        " join pg_namespace as n on n.oid = p.pronamespace"
        " where n.nspname = %s and p.prokind = 'f' order by p.proname",
        (schema,),
    ).fetchall()
    for (definition,) in definitions:
        header = f"FUNCTION {schema}."
        if header not in definition:  # a quoted name: not one of ours
            continue
        conn.execute(definition.replace(header, f"FUNCTION {_NEXT}.", 1))


def _copy_data_quality(conn) -> None:
    """The build's test outcomes (ledgerdesk.data_quality, pipelines/lib/data_quality.py);
    the build status stays read in place, so a failed later build shows at once."""
    conn.execute(f"create table {_NEXT}._data_quality ({DATA_QUALITY_COLUMNS})")
    if conn.execute("select to_regclass('ledgerdesk.data_quality')").fetchone()[0]:
        conn.execute(f"insert into {_NEXT}._data_quality select * from ledgerdesk.data_quality")


def served_build(dsn: str) -> str | None:
    """The build id `serving` holds; None before the first publish."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        if not conn.execute(f"select to_regclass('{SERVING}._published')").fetchone()[0]:
            return None
        row = conn.execute(f"select build_id from {SERVING}._published").fetchone()
        return row[0] if row else None
