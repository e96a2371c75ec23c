"""Every mart's contract gives a Spark build's serving copy DuckDB's own types
(pipelines/lib/publish_spark.py): the edge-case account built on DuckDB, each mart written out
as Spark writes a managed table (Parquet parts under `<spark dir>/warehouse/marts.db/<mart>/`,
every timestamp an instant adjusted to UTC, as Spark's TimestampType is), then published by
the Dagster asset with `warehouse.engine: spark`: the snapshot holds, per mart, the columns,
types and rows of DuckDB's own snapshot, and the email macro gives what DuckDB's gives. No JVM:
the opt-in Spark suite does the same from a real Spark build."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
from streamlit.testing.v1 import AppTest

from pipelines.defs.publish import marts_snapshot
from pipelines.lib import raw_watermark
from pipelines.lib.publish import publish_marts, snapshot_path
from pipelines.lib.publish_spark import mart_contracts, mart_folder
from pipelines.lib.resources import LedgerdeskSettings
from tests.dbt.engines import compare_relations, duckdb_table

CONFIG = (
    "warehouse: {engine: spark, path: data/warehouse.duckdb, published_dir: data/published}\n"
    "accounts: [{gateway: stripe, name: main, api_key_env: LEDGERDESK_E2E_STRIPE_KEY}]\n"
)
PAGE = Path(__file__).resolve().parents[2] / "dashboards" / "app_pages" / "customer_lookup.py"
TYPES = (
    "select table_name, column_name, data_type from information_schema.columns "
    "where table_schema = 'marts' and table_name not like '\\_%' escape '\\' "
    "order by table_name, ordinal_position"
)


def test_the_spark_snapshot_has_duckdbs_types_and_rows(edge_warehouse, tmp_path, monkeypatch):
    warehouse, run = edge_warehouse
    assert run.returncode == 0, run.output[-4000:]
    contracts = mart_contracts(json.loads((run.target_dir / "manifest.json").read_text()))
    assert len(contracts) >= 10, contracts
    spark_dir = tmp_path / "spark"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.sql("set TimeZone = 'UTC'")
        for mart, columns in contracts.items():
            folder = mart_folder(spark_dir, mart)
            folder.mkdir(parents=True)
            instants = ", ".join(
                f'cast("{name}" as timestamptz) as "{name}"' if kind == "timestamp" else f'"{name}"'
                for name, kind in columns.items()
            )
            con.sql(
                f"copy (select {instants} from marts.{mart}) "
                f"to '{folder}/part-00000-0-c000.snappy.parquet' (format parquet)"
            )
            (folder / "_SUCCESS").write_bytes(b"")
    publish_marts(warehouse, tmp_path / "duck", build="b")

    monkeypatch.setenv("LEDGERDESK_SPARK_DIR", str(spark_dir))
    # The Spark build of these marts, recorded as the dbt step records a successful one.
    (tmp_path / "data").mkdir()
    kept = raw_watermark.state_path(tmp_path / "data" / "warehouse.duckdb", "spark")
    raw_watermark.record(kept, None, "project-key", "spark-build-1")
    config = tmp_path / "ledgerdesk.yaml"
    config.write_text(CONFIG)
    result = dg.materialize(
        [marts_snapshot],
        resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
        instance=dg.DagsterInstance.ephemeral(),
    )
    (materialization,) = result.asset_materializations_for_node("published__marts_snapshot")
    assert materialization.metadata["engine"].value == "spark"

    spark_snapshot = snapshot_path(tmp_path / "data" / "published")
    with (
        duckdb.connect(str(snapshot_path(tmp_path / "duck")), read_only=True) as duck,
        duckdb.connect(str(spark_snapshot), read_only=True) as spark,
    ):
        assert spark.sql(TYPES).fetchall() == duck.sql(TYPES).fetchall()
        counts = compare_relations(
            [("marts", mart) for mart in contracts],
            lambda schema, name: duckdb_table(duck, schema, name),
            lambda schema, name: duckdb_table(spark, schema, name),
            ("duckdb", "spark"),
        )
        emails = ["\u00a0 Ana@Example.COM\t", "E\u0301VA@x.org", " "]
        normalized = "select [marts.normalize_email(e) for e in ?]"
        assert spark.execute(normalized, [emails]).fetchall() == (
            duck.execute(normalized, [emails]).fetchall()
        )
        email, object_ids = spark.sql(
            "select any_value(identities.email), list(distinct timeline.source_object_id) "
            "from marts.dim_customer_identities as identities "
            "inner join marts.fct_customer_timeline as timeline using (person_id) "
            "where identities.email is not null group by person_id order by person_id limit 1"
        ).fetchall()[0]
    assert sum(counts.values()) > 40, counts

    # The dashboards, with engine spark, read that snapshot (dashboards/data.py).
    monkeypatch.setenv("LEDGERDESK_CONFIG", str(config))
    monkeypatch.setenv("LEDGERDESK_E2E_STRIPE_KEY", "sk_test_unused_by_the_dashboards")
    monkeypatch.delenv("LEDGERDESK_WAREHOUSE", raising=False)
    page = AppTest.from_file(str(PAGE), default_timeout=60)
    page.run()
    page.sidebar.text_input(key="lookup_term").input(f"  {email.upper()} ").run()
    assert not page.exception, page.exception
    (shown,) = page.dataframe
    assert sorted(set(shown.value["object_id"])) == sorted(object_ids)
