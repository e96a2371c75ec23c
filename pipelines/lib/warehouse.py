"""Taking turns at the warehouse file.

DuckDB allows one writing process per file, and Dagster runs steps in processes of their own:
every writer (landing batches, dbt build, publishing) holds an exclusive `flock` on
`<warehouse>.lock` while its connection is open, and waits for it otherwise. Network reads
happen outside the lock, so extraction of several entities still overlaps.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def lock_path(warehouse_path: Path) -> Path:
    return warehouse_path.with_name(warehouse_path.name + ".lock")


@contextmanager
def writer_lock(warehouse_path: Path) -> Iterator[None]:
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(warehouse_path), "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
