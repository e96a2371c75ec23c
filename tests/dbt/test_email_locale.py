"""The email rule on PostgreSQL does not depend on the database's locale (macros/emails.sql;
DECISIONLOG.md, 2026-12-03, room review): in a database created with LC_CTYPE 'C', where
lower('É') is 'É', marts.normalize_email gives what DuckDB's gives, written out by hand here
for accented, Greek and Turkish addresses."""

from __future__ import annotations

import dataclasses
import json
import os
import uuid

import duckdb
import pytest

from ledgerdesk.pg_settings import postgres_from_env
from tests.dbt.conftest import run_dbt

psycopg = pytest.importorskip("psycopg")

# (typed, normalized): each character lowered alone (a final capital sigma is the plain small
# sigma, the dotted capital I is i), accents kept.
SAMPLES = [
    (" \u00c9COLE@Example.COM\u00a0", "\u00e9cole@example.com"),
    (
        "\u039f\u0394\u039f\u03a3@\u03a3\u0391\u03a3.GR",
        "\u03bf\u03b4\u03bf\u03c3@\u03c3\u03b1\u03c3.gr",
    ),
    ("\u0130STANBUL@I\u015eIK.tr", "istanbul@i\u015fik.tr"),
    ("\u00c5NGSTR\u00d6M@\u0141\u00d3D\u0179.pl", "\u00e5ngstr\u00f6m@\u0142\u00f3d\u017a.pl"),
    ("E\u0301MILE@x.fr", "\u00e9mile@x.fr"),  # NFC first: E + combining acute is one É
]


@pytest.fixture
def c_ctype_database():
    server = postgres_from_env(os.environ)
    try:
        admin = psycopg.connect(server.dsn(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL unreachable at {server.safe_dsn()}: {error}")
    name = f"ledgerdesk_test_{uuid.uuid4().hex}"
    with admin:
        admin.execute(
            f"create database {name} encoding 'UTF8' lc_ctype 'C' lc_collate 'C' template template0"
        )
        try:
            yield dataclasses.replace(server, dbname=name)
        finally:
            admin.execute(f"drop database if exists {name} with (force)")


INLINE = "select i, {{ normalize_email('e') }} as normalized from samples order by i"


def _compiled(tmp_path, name: str, env: dict | None = None, target: list | None = None) -> str:
    """The rule as dbt compiles it for the target (what staging inlines and the function
    marts.normalize_email returns)."""
    work = tmp_path / name
    work.mkdir()
    args = ["compile", "--inline", INLINE, "--output", "json", "--quiet", *(target or [])]
    run = run_dbt(args, work / "warehouse.duckdb", work, env=env)
    assert run.returncode == 0, run.output[-4000:]
    return json.loads(run.output[run.output.index("{") :])["compiled"]


def test_the_email_rule_ignores_the_databases_locale(c_ctype_database, tmp_path):
    pg = c_ctype_database
    typed = [(i, t) for i, (t, _) in enumerate(SAMPLES)]
    with psycopg.connect(pg.dsn()) as conn:
        assert conn.execute("select lower('\u00c9')").fetchone()[0] == "\u00c9"  # the trap
        conn.execute("create table samples (i integer, e text)")
        conn.cursor().executemany("insert into samples values (%s, %s)", typed)
        sql = _compiled(tmp_path, "pg", pg.dbt_env(), ["--target", "postgres"])
        served = [row[1] for row in conn.execute(sql).fetchall()]
    with duckdb.connect() as con:
        con.execute("create table samples (i integer, e varchar)")
        con.executemany("insert into samples values (?, ?)", typed)
        duck = [row[1] for row in con.sql(_compiled(tmp_path, "duck")).fetchall()]
    expected = [normalized for _, normalized in SAMPLES]
    assert duck == expected
    assert served == expected
