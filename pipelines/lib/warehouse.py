"""Taking turns at the warehouse file.

DuckDB allows one writing process per file, and Dagster runs steps in processes of their own:
every writer (landing batches, dbt build, publishing) holds an exclusive `flock` on
`<warehouse>.lock` while its connection is open, and waits for it otherwise. Network reads
happen outside the lock, so extraction of several entities still overlaps.

PostgreSQL has many writers by design, but two transforms at once would interleave (one's
dbt build replacing tables the other is building, its record of a build that is not the
one served): the transform (no-change decision, dbt build, record) and the publish step hold
a session-level advisory lock on one constant key, on a connection of their own, and a
second one waits for it. Advisory locks are per database, so two warehouses on one server
never wait for each other.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def lock_path(warehouse_path: Path) -> Path:
    return warehouse_path.with_name(warehouse_path.name + ".lock")


# Any constant bigint, the same for every process: 'ldgr' 'xfrm' as bytes.
TRANSFORM_LOCK_KEY = 0x6C646772_7866726D


@contextmanager
def postgres_advisory_lock(dsn: str) -> Iterator[None]:
    """Hold the transform's advisory lock on the warehouse `dsn` names while the block runs
    (waiting for it first); released when the block ends or its connection is lost."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (TRANSFORM_LOCK_KEY,))
        try:
            yield
        finally:
            if not conn.broken:
                conn.execute("select pg_advisory_unlock(%s)", (TRANSFORM_LOCK_KEY,))


@contextmanager
def writer_lock(warehouse_path: Path) -> Iterator[None]:
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(warehouse_path), "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
