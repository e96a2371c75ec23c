"""The Spark build's serving copy: the same DuckDB snapshot the dashboards read for DuckDB
(pipelines/lib/publish.py), made from Spark's own files, with no JVM.

dbt's Spark session keeps each mart as Parquet parts of a managed table,
`<spark dir>/warehouse/marts.db/<mart>/part-*.parquet` (profiles.yml: spark.sql.warehouse.dir).
DuckDB reads them with read_parquet; each column is cast to the type the mart's dbt contract
declares (DuckDB's names: the types DuckDB's own marts have), so money stays a BIGINT of minor
units, a DECIMAL keeps its digits, and the instants Spark writes as UTC (Parquet's
isAdjustedToUTC) become a `timestamp` (UTC wall time) or a `timestamptz` as on DuckDB. The
build's data-quality state is recorded, from the same dbt run results as DuckDB's, in a small
DuckDB file under the Spark dir (`bookkeeping_path`), and copied beside the marts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import duckdb

from pipelines.lib.publish import copy_data_quality, write_snapshot

BOOKKEEPING = "bookkeeping.duckdb"  # schema ledgerdesk: data_quality, build_status
_MACRO_BODY = re.compile(r"%}(.*?){%-?\s*endmacro", re.S)


def bookkeeping_path(spark_dir: Path) -> Path:
    """The DuckDB file holding a Spark build's data-quality state (record_build's tables);
    its writers' lock (warehouse.writer_lock) is the Spark transform's lock."""
    return spark_dir / BOOKKEEPING


def mart_folder(spark_dir: Path, mart: str, schema: str = "marts") -> Path:
    return spark_dir / "warehouse" / f"{schema}.db" / mart


def mart_parts(spark_dir: Path, mart: str, schema: str = "marts") -> list[Path]:
    """The table's Parquet parts (Spark's `_SUCCESS` and `.crc` files left out)."""
    folder = mart_folder(spark_dir, mart, schema)
    parts = sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith((".", "_")))
    if not parts:
        raise FileNotFoundError(f"no Parquet part of {schema}.{mart} under {folder}")
    return parts


def mart_contracts(manifest: Mapping) -> dict[str, dict[str, str]]:
    """{mart: {column: DuckDB type}} of every model dbt builds in the marts schema, from its
    contract (every mart has one, enforced), in the contract's column order."""
    contracts = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != "marts":
            continue
        columns = {name: column.get("data_type") for name, column in node["columns"].items()}
        untyped = [name for name, data_type in columns.items() if not data_type]
        if untyped:
            raise ValueError(f"{node['name']}: no contract type for {untyped}")
        contracts[node.get("alias") or node["name"]] = columns
    return dict(sorted(contracts.items()))


def duckdb_macros(manifest: Mapping) -> dict[str, tuple[list[str], str]]:
    """DuckDB's form of the email rule (macros/emails.sql, default__normalize_email), as
    the macro marts.normalize_email(email) dbt stores on DuckDB, so the lookup page
    normalizes what an agent types as the models did."""
    macro = manifest["macros"]["macro.ledgerdesk.default__normalize_email"]["macro_sql"]
    body = _MACRO_BODY.search(macro).group(1).strip()
    return {"normalize_email": (["email"], body.replace("{{ email_expr }}", "email"))}


def publish_spark_marts(
    spark_dir: Path,
    published_dir: Path,
    contracts: Mapping[str, Mapping[str, str]],
    macros: Mapping[str, tuple[list[str], str]] | None = None,
    build: str | None = None,
    schema: str = "marts",
) -> dict[str, int]:
    """Every mart of `contracts` (mart_contracts) from Spark's Parquet into a new snapshot,
    with the macros and the build's data-quality state, stamped with `build`; swapped in as
    publish_marts does (a mart missing or unreadable publishes nothing). Rows per mart."""

    def fill(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        # timestamptz -> timestamp is the wall time in the session's zone: UTC, as dbt's.
        con.sql("set TimeZone = 'UTC'")
        con.sql(f"create schema {schema}")
        rows: dict[str, int] = {}
        for mart, columns in contracts.items():
            parts = [str(p) for p in mart_parts(spark_dir, mart, schema)]
            select = ", ".join(
                f'cast("{name}" as {data_type}) as "{name}"' for name, data_type in columns.items()
            )
            con.execute(
                f'create table {schema}."{mart}" as select {select} from read_parquet(?)', [parts]
            ).fetchall()
            rows[mart] = con.sql(f'select count(*) from {schema}."{mart}"').fetchall()[0][0]
        for name, (parameters, definition) in (macros or {}).items():
            con.sql(f"create macro {schema}.{name}({', '.join(parameters)}) as {definition}")
        bookkeeping = bookkeeping_path(spark_dir)
        if bookkeeping.exists():
            con.execute("attach ? as wh (read_only)", [str(bookkeeping)]).fetchall()
        copy_data_quality(con, schema)  # empty tables when no build was recorded
        if bookkeeping.exists():
            con.sql("detach wh")
        return rows

    return write_snapshot(published_dir, fill, schema, build)
