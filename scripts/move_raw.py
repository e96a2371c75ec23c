"""Move a DuckDB warehouse's raw data to PostgreSQL (ledgerdesk/raw_copy.py).

    python -m scripts.move_raw warehouse.duckdb [--dsn DSN]

DSN default: env LEDGERDESK_PG_DSN. Re-running replaces each table with the same rows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ledgerdesk.raw_copy import copy_warehouse
from pipelines.extract.engines import postgres


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--dsn", default=None, help="default: env LEDGERDESK_PG_DSN")
    args = parser.parse_args(argv)
    dsn = args.dsn or postgres.pg_dsn()
    print(f"copying {args.warehouse} to {postgres.safe_dsn(dsn)}")
    with postgres.connect(dsn) as conn:
        for copied in copy_warehouse(args.warehouse, conn):
            print(f"{copied.table}: {copied.source_rows} rows, verified")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
