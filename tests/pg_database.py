"""A PostgreSQL database of a test's own (ledgerdesk_test_<uuid>), dropped at its end; the
test skips, naming the server without its password, when PostgreSQL is unreachable (under
CI=true a skip fails: tests/conftest.py)."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ledgerdesk.pg_settings import PostgresWarehouse, postgres_from_env


@contextmanager
def fresh_pg_database() -> Iterator[PostgresWarehouse]:
    """The connection of a fresh database on the server the environment names."""
    psycopg = pytest.importorskip("psycopg")
    server = postgres_from_env(os.environ)
    try:
        admin = psycopg.connect(server.dsn(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL unreachable at {server.safe_dsn()}: {error}")
    name = f"ledgerdesk_test_{uuid.uuid4().hex}"
    with admin:
        admin.execute(f"create database {name}")
        try:
            yield dataclasses.replace(server, dbname=name)
        finally:
            admin.execute(f"drop database if exists {name} with (force)")


@pytest.fixture
def pg_warehouse() -> Iterator[PostgresWarehouse]:
    with fresh_pg_database() as warehouse:
        yield warehouse
