"""The short summary printed after a demo run: rows per mart, gross and net revenue by month
and currency, read from the published snapshot (the same file the dashboards read)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ledgerdesk.money import format_amount
from pipelines.lib.publish import snapshot_path


def summary_text(published_dir: Path) -> str:
    con = duckdb.connect(str(snapshot_path(published_dir)), read_only=True)
    try:
        counts = con.sql(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_name not like '\\_%' escape '\\' "
            "order by table_name"
        ).fetchall()
        lines = ["Rows per mart:"]
        for (table,) in counts:
            (n,) = con.sql(f'select count(*) from marts."{table}"').fetchall()[0]
            lines.append(f"  {table:<28} {n:>9,}")
        revenue = con.sql(
            "select month, currency, gross_minor, net_minor from marts.rpt_revenue_monthly "
            "order by month, currency"
        ).fetchall()
    finally:
        con.close()
    currencies = sorted({row[1] for row in revenue})
    by_month: dict[str, dict[str, tuple[int, int]]] = {}
    for month, currency, gross, net in revenue:
        by_month.setdefault(str(month)[:7], {})[currency] = (gross, net)
    lines += ["", "Gross / net revenue by month (net = gross - refunds - lost disputes):"]
    lines.append("  month   " + "".join(f"{c + ' gross / net':>27}" for c in currencies))
    for month, cells in by_month.items():
        row = f"  {month} "
        for currency in currencies:
            gross, net = cells.get(currency, (0, 0))
            row += f"{format_amount(gross, currency):>15} /{format_amount(net, currency):>11}"
        lines.append(row)
    return "\n".join(lines)
