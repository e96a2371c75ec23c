"""The dashboards' PostgreSQL connection is read-only on the server's side, under autocommit
too (dashboards/data.py; DECISIONLOG.md, 2026-12-03, room review): psycopg's own `read_only`
sets only the transactions psycopg begins, and under autocommit it begins none."""

from __future__ import annotations

import pytest

psycopg = pytest.importorskip("psycopg")


def test_the_dashboards_connection_refuses_writes(pg_warehouse):
    from dashboards.data import _Connections

    with psycopg.connect(pg_warehouse.dsn()) as owner:
        owner.execute("create schema serving; create table serving.dim_customers (x int)")
    conn = _Connections(pg_warehouse).get()
    try:
        assert conn.autocommit
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("create table serving.written_by_a_reader (x int)")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("insert into serving.dim_customers values (1)")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("drop schema serving cascade")
        assert conn.execute("select count(*) from serving.dim_customers").fetchone() == (0,)
    finally:
        conn.close()
