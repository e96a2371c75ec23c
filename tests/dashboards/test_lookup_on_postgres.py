"""The customer lookup served from PostgreSQL (`warehouse.engine: postgres`): the same raw rows
as the DuckDB snapshot the other lookup tests read (the hand-written account, its warnings,
the second gateway), copied to a database of this module's own and built there by the real
dbt project with `--target postgres` and published as the pipeline publishes it (the schema
`serving`, pipelines/lib/publish_postgres.py); the page then reads PostgreSQL itself, no
snapshot. Every query the lookup runs gives the DuckDB snapshot's rows, whole and counted,
also while dbt's own marts are being rebuilt; the page finds Ana Multi at both gateways by
any id (hand-written in test_lookup_across_gateways)."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import polars as pl
import pytest
import streamlit as st

from dashboards import queries
from pipelines.lib.data_quality import build_state, record_build_postgres
from pipelines.lib.publish_postgres import publish_postgres
from tests.dashboards import second_gateway
from tests.dashboards.conftest import KEY_ENV
from tests.dashboards.conftest import write_config as write_duckdb_config
from tests.dashboards.test_lookup_across_gateways import CUSTOMERS, TIMELINE, _customers, _timeline
from tests.dashboards.test_lookup_page import run_page
from tests.dbt.conftest import run_dbt
from tests.pg_database import fresh_pg_database

psycopg = pytest.importorskip("psycopg")

TERMS = [
    "cus_multi",
    "ch_multi",
    "TP-C3",
    "TP-T2",
    "TP-S1",
    "TP-D1",
    "testpay:main:TP-T1",
    " ANA@other.EXAMPLE ",
    "nobody@nowhere.example",
]
FRAGMENTS = ["multi", "ANA", "example", "100%", "no_such"]


@pytest.fixture(scope="module")
def postgres_marts(warned_build, tmp_path_factory):
    """(the database, the dbt run): warned_build's raw rows built on PostgreSQL, the build's
    data quality recorded there and its marts published as the pipeline's steps do."""
    from ledgerdesk.raw_copy import copy_warehouse, source_tables
    from pipelines.extract.engines import postgres

    warehouse, _, _ = warned_build
    work = tmp_path_factory.mktemp("dash_pg")
    with fresh_pg_database() as pg:
        import duckdb

        with duckdb.connect(str(warehouse), read_only=True) as con:
            raw = [f"{s}.{n}" for s, n in source_tables(con) if s != "ledgerdesk"]
        with psycopg.connect(pg.dsn()) as conn:
            for table in raw:  # the tests' raw rows allow a tombstone without `created`
                postgres.ensure_raw_table(conn, table)
                conn.execute(f"alter table {table} alter column created drop not null")
            conn.commit()
            copy_warehouse(warehouse, conn)
        project, cli_vars = second_gateway.project_with_second_gateway(work)
        run = run_dbt(
            ["build", "--target", "postgres", "--vars", cli_vars],
            work / "unused.duckdb",
            work,
            project,
            env=pg.dbt_env(),
        )
        if run.returncode == 0:
            results = json.loads((run.target_dir / "run_results.json").read_text())
            manifest = json.loads((run.target_dir / "manifest.json").read_text())
            record_build_postgres(pg.dsn(), build_state(results, manifest, True))
            publish_postgres(pg.dsn(), build="the-warned-build")
        yield pg, run


def _use(config) -> None:
    os.environ["LEDGERDESK_CONFIG"] = str(config)
    st.cache_data.clear()


@pytest.fixture
def engines(warned_build, postgres_marts, tmp_path):
    """Switch the dashboards between the DuckDB snapshot and PostgreSQL."""
    _, duck_run, published = warned_build
    pg, run = postgres_marts
    assert duck_run.returncode == 0, duck_run.output[-4000:]
    assert run.returncode == 0, run.output[-6000:]
    saved = dict(os.environ)
    os.environ[KEY_ENV] = "sk_test_unused_by_the_dashboards"
    os.environ.pop("LEDGERDESK_WAREHOUSE", None)
    os.environ.pop("LEDGERDESK_PG_DSN", None)
    os.environ.update(pg.dbt_env())
    (tmp_path / "duck").mkdir()
    duck = write_duckdb_config(tmp_path / "duck", published)
    (tmp_path / "pg").mkdir()
    on_pg = tmp_path / "pg" / "ledgerdesk.yaml"
    on_pg.write_text(
        f"warehouse:\n  engine: postgres\n  path: {tmp_path / 'pg' / 'unused.duckdb'}\n"
        f"  published_dir: {tmp_path / 'pg' / 'published'}\n"
        f"accounts:\n  - {{gateway: stripe, name: main, api_key_env: {KEY_ENV}}}\n"
    )
    yield {"duckdb": lambda: _use(duck), "postgres": lambda: _use(on_pg)}
    os.environ.clear()
    os.environ.update(saved)
    st.cache_data.clear()


def _rows(frame: pl.DataFrame) -> tuple[list[str], list[tuple]]:
    """Columns and rows in order, each value as the page would show it (DuckDB's DECIMAL and
    PostgreSQL's numeric alike; lists as tuples)."""

    def value(v):
        if isinstance(v, list | pl.Series):
            return tuple(value(x) for x in v)
        if isinstance(v, float):
            return Decimal(str(v))
        return v

    return frame.columns, [tuple(value(v) for v in row) for row in frame.iter_rows()]


def _all_lookups() -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for term in TERMS:
        people = queries.find_people(term)
        out[f"find {term!r}"] = _rows(people)
        for person_id in people["person_id"].to_list() if people.height else []:
            out[f"identities {person_id}"] = _rows(queries.identities(person_id))
            out[f"timeline {person_id}"] = _rows(queries.timeline(person_id))
            out[f"totals {person_id}"] = _rows(queries.payment_totals(person_id))
    for fragment in FRAGMENTS:
        out[f"search {fragment!r}"] = _rows(queries.search_people(fragment))
    out["warnings"] = _rows(queries.data_quality_warnings())
    out["status"] = _rows(queries.build_status().select("status", "message"))
    return out


def test_every_lookup_query_gives_the_snapshots_rows(engines):
    engines["duckdb"]()
    expected = _all_lookups()
    engines["postgres"]()
    served = _all_lookups()
    assert served == expected
    counts = {name: len(rows) for name, (_, rows) in served.items()}
    assert counts["find 'cus_multi'"] == 1 and counts["find 'nobody@nowhere.example'"] == 0
    assert counts["timeline " + served["find 'cus_multi'"][1][0][0]] == len(TIMELINE)
    assert counts["warnings"] > 0  # the edge cases' warnings, read from PostgreSQL
    assert served["status"][1] == [("success", None)]
    assert sum(counts.values()) >= 30, counts  # 38 rows in all when written


def test_readers_see_the_published_build_while_dbt_rebuilds(engines, postgres_marts):
    """dbt's own marts half rebuilt (a build running, or one that failed midway: one mart
    emptied, another gone, the email rule changed) reach no query: the lookups read the
    published copy."""
    engines["duckdb"]()
    expected = _all_lookups()
    pg, _ = postgres_marts
    rebuilding = (
        "delete from marts.dim_customer_identities;"
        " alter table marts.fct_customer_timeline rename to fct_customer_timeline__dbt_tmp;"
        " create or replace function marts.normalize_email(email text) returns text"
        " language sql immutable return 'nobody'"
    )
    with psycopg.connect(pg.dsn()) as conn:  # left so: later tests read `serving` only
        conn.execute(rebuilding)
    engines["postgres"]()
    served = _all_lookups()
    assert served == expected


@pytest.mark.parametrize("term", ["TP-C3", "ch_multi", " ANA@other.EXAMPLE "])
def test_the_page_finds_the_person_on_postgres(engines, term, tmp_path):
    engines["postgres"]()
    at = run_page(term)
    assert [s.value for s in at.subheader] == ["Ana Multi"]
    assert _timeline(at) == TIMELINE
    assert _customers(at) == CUSTOMERS
    assert not (tmp_path / "pg" / "published").exists()  # no snapshot read or written
