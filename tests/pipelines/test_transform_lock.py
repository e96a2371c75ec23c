"""One transform at a time on a PostgreSQL warehouse (pipelines/lib/warehouse.py,
postgres_advisory_lock; DECISIONLOG.md, 2026-12-03, room review): a second holder waits for
the first, seen waiting in pg_locks, and goes on only once the first has let go."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import psycopg

from pipelines.defs.transform import transform_lock
from pipelines.lib.warehouse import TRANSFORM_LOCK_KEY, postgres_advisory_lock


def _waiting(dsn: str) -> int:
    """Sessions waiting for the transform's advisory lock in this database."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select count(*) from pg_locks where locktype = 'advisory' and not granted"
            " and database = (select oid from pg_database where datname = current_database())"
            " and (classid::bigint << 32) | objid::bigint = %s",
            (TRANSFORM_LOCK_KEY,),
        ).fetchone()[0]


def test_a_second_transform_waits_for_the_first(pg_warehouse):
    dsn = pg_warehouse.dsn()
    events: list[str] = []
    first_holds, release = threading.Event(), threading.Event()

    def first() -> None:
        with postgres_advisory_lock(dsn):
            events.append("first holds")
            first_holds.set()
            release.wait()
            events.append("first lets go")

    def second() -> None:
        first_holds.wait()
        with transform_lock(SimpleNamespace(engine="postgres", postgres=pg_warehouse)):
            events.append("second holds")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds.wait()
    # Until the second is seen blocked in pg_advisory_lock, or got through (no time limit:
    # the suite's timeout ends a test that never gets either).
    while not _waiting(dsn) and "second holds" not in events:
        time.sleep(0.05)
    assert events == ["first holds"]
    release.set()
    for thread in threads:
        thread.join()
    assert events == ["first holds", "first lets go", "second holds"]
    assert _waiting(dsn) == 0
    with psycopg.connect(dsn) as conn:  # released: anyone may take it now
        assert conn.execute("select pg_try_advisory_lock(%s)", (TRANSFORM_LOCK_KEY,)).fetchone()[0]
