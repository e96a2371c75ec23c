"""The writer interface: where extraction lands, whatever the engine (`warehouse.engine`).

The runner (runner.py, lander.py) sees only a `WarehouseWriter`: land a batch (a Future of its
counts), read a cursor, the oldest open row, prepare a table. Behind it, this process's one
writer of that warehouse (writer.py: jobs in order, one at a time, on one kept connection)
runs the engine's functions on the engine's connection. An engine is five functions of the
same shape as DuckDB's (landing.py, tables.py):

    open(target) -> connection
    land(connection, batch) -> LandingCounts      # rows, quarantine, marks, prune, cursor:
                                                  # one transaction
    read_cursor(connection, gateway, account_id, entity) -> parsed JSON | None
    prepare_tables(connection, gateway, entity) -> None
    oldest_open_created(connection, gateway, account_id, entity, field, values) -> int | None

DuckDB (engines/duckdb.py) also holds the warehouse file's cross-process lock while its
connection is open; PostgreSQL (engines/postgres.py) lets many processes write at once.
Spark: pipelines/extract/engines/spark.py defines `ENGINE = Engine("spark", ...)` with the
same five functions (`land` shaped as postgres.land_into_postgres); ENGINES names it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.extract.writer import MAX_HOLD_SECONDS, shared_writer
from pipelines.lib.warehouse import writer_lock

# engine name -> the module defining its ENGINE (imported when first used)
ENGINES = {
    "duckdb": "pipelines.extract.engines.duckdb",
    "postgres": "pipelines.extract.engines.postgres",
    "spark": "pipelines.extract.engines.spark",  # helper B's (issue 16)
}


@dataclass(frozen=True)
class Target:
    """Where one warehouse is: the engine, the DuckDB file (for the others, the folder their
    lock and parse state live in), the engine's connection. Picklable: it travels to the
    per-gateway extraction processes."""

    engine: str
    path: Path
    dsn: str | None = field(default=None, repr=False)  # PostgreSQL's, password included

    @classmethod
    def duckdb(cls, path: Path) -> Target:
        return cls("duckdb", Path(path))

    @classmethod
    def of(cls, settings: Any) -> Target:
        """The warehouse `settings` (ledgerdesk.config.Settings) name."""
        dsn = settings.postgres.dsn() if settings.postgres is not None else None
        return cls(settings.engine, Path(settings.warehouse_path), dsn)

    @property
    def key(self) -> Any:
        """Which writer of this process serves it (a DuckDB file's: the one
        tables.landing_writer shares)."""
        if self.engine == "duckdb":
            return self.path.resolve()
        return self.engine, self.dsn or str(self.path)


def as_target(warehouse: Target | Path | str) -> Target:
    """A Target; a bare path is a DuckDB file (the runner's callers before engines)."""
    return warehouse if isinstance(warehouse, Target) else Target.duckdb(Path(warehouse))


@dataclass(frozen=True)
class Engine:
    name: str
    open: Callable[[Target], Any]
    land: Callable[[Any, Any], Any]
    read_cursor: Callable[[Any, str, str, str], Any]
    prepare_tables: Callable[[Any, str, str], None]
    oldest_open_created: Callable[..., int | None]
    file_lock: bool = False  # DuckDB: one writing process per file, taking turns
    # whether anything can have landed yet (DuckDB: the file exists), so a cursor read
    # creates no warehouse
    may_hold_data: Callable[[Target], bool] = lambda _target: True


def engine_named(name: str) -> Engine:
    if name not in ENGINES:
        raise ValueError(f"unknown warehouse engine {name!r}; known: {sorted(ENGINES)}")
    try:
        module = importlib.import_module(ENGINES[name])
    except ModuleNotFoundError as exc:
        raise RuntimeError(f"the {name} engine is not available: {exc}") from exc
    return module.ENGINE


class WarehouseWriter:
    """What the runner lands through: one engine, this process's writer of one warehouse."""

    def __init__(self, engine: Engine, target: Target, writer: Any) -> None:
        self.engine, self.target, self._writer = engine, target, writer

    def land(self, batch: Any) -> Future:
        """Queue `batch` (rows, quarantine, cursor: one transaction); a Future of its counts."""
        land = self.engine.land
        return self._writer.submit(lambda con: land(con, batch))

    def read_cursor(self, gateway: str, account_id: str, entity: str) -> Any:
        if not self.engine.may_hold_data(self.target):
            return None
        return self._writer.call(
            lambda con: self.engine.read_cursor(con, gateway, account_id, entity)
        )

    def prepare_tables(self, gateway: str, entity: str) -> None:
        self._writer.call(lambda con: self.engine.prepare_tables(con, gateway, entity))

    def oldest_open_created(
        self, gateway: str, account_id: str, entity: str, field: str, values: tuple[str, ...]
    ) -> int | None:
        if not self.engine.may_hold_data(self.target):
            return None
        return self._writer.call(
            lambda con: self.engine.oldest_open_created(
                con, gateway, account_id, entity, field, values
            )
        )


@contextmanager
def warehouse_writer(warehouse: Target | Path | str) -> Iterator[WarehouseWriter]:
    """This process's writer of the warehouse (shared; stopped when its last user leaves)."""
    target = as_target(warehouse)
    engine = engine_named(target.engine)
    lock = writer_lock if engine.file_lock else (lambda _path: nullcontext())
    with shared_writer(
        target.path,
        lambda _path: engine.open(target),
        key=target.key,
        lock=lock,
        max_hold_seconds=MAX_HOLD_SECONDS if engine.file_lock else float("inf"),
    ) as writer:
        yield WarehouseWriter(engine, target, writer)
