"""The transform's no-change rule (pipelines/lib/raw_watermark.py; DECISIONLOG.md, 2026-12-02,
room incr, and 2026-12-03, room review): a run whose raw rows did not change since the last
successful build, which is the one served, does not run dbt; any landed, changed or pruned raw
row (even one landed with an earlier clock), a changed project, a missing mart or a build not
published make it build. Raw rows land through the real landing (the engines' writer), on
DuckDB and on PostgreSQL."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.extract.batch import LandingBatch
from pipelines.extract.engines import Target, warehouse_writer
from pipelines.lib import raw_watermark
from tests.pg_database import fresh_pg_database

KEY = "project-key-1"
BUILD = "build-1"
MARTS = ["fct_payments"]
CHARGES = [
    {"id": "ch_1", "created": 1_700_000_000, "amount": 500},
    {"id": "ch_2", "created": 1_700_000_100, "amount": 700},
]


@dataclass
class Warehouse:
    target: Target
    state: raw_watermark.State

    def land(self, entity: str, objects: list[dict], gateway: str = "stripe", **listing):
        """One batch through the engine's writer, as the extraction runner lands it."""
        batch = LandingBatch(gateway, "main", entity, **listing)
        for obj in objects:
            batch.add(obj, obj.get("version", 1), created=obj.get("created") or 0)
        with warehouse_writer(self.target) as writer:
            writer.prepare_tables(gateway, entity)
            return writer.land(batch).result()

    def sql(self, text: str) -> None:
        if self.target.engine == "duckdb":
            with duckdb.connect(str(self.target.path)) as con:
                con.sql(text)
            return
        import psycopg

        with psycopg.connect(self.target.dsn) as conn:
            conn.execute(text)

    def rows(self, text: str) -> list[tuple]:
        if self.target.engine == "duckdb":
            with duckdb.connect(str(self.target.path)) as con:
                return con.sql(text).fetchall()
        import psycopg

        with psycopg.connect(self.target.dsn) as conn:
            return conn.execute(text).fetchall()

    def read(self) -> dict:
        if self.target.engine == "duckdb":
            return raw_watermark.read_duckdb(self.target.path)
        return raw_watermark.read_postgres(dsn=self.target.dsn)

    def record(self, key: str = KEY) -> None:
        raw_watermark.record(self.state, self.read(), key, BUILD)

    def unchanged(self, key: str = KEY, served: str | None = BUILD, marts=MARTS) -> bool:
        return raw_watermark.unchanged(self.state, self.read(), key, served, marts)


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request, tmp_path):
    """Two raw tables landed, one built mart, on each engine."""
    if request.param == "duckdb":
        path = tmp_path / "warehouse.duckdb"
        yield _filled(Warehouse(Target.duckdb(path), raw_watermark.state_path(path, "duckdb")))
        return
    with fresh_pg_database() as pg:
        target = Target("postgres", tmp_path / "warehouse.duckdb", pg.dsn())
        yield _filled(Warehouse(target, raw_watermark.PostgresState(pg.dsn())))


def _filled(warehouse: Warehouse) -> Warehouse:
    warehouse.land("customers", [{"id": "cus_1", "created": 1_700_000_000}])
    warehouse.land("charges", CHARGES)
    warehouse.sql("create schema marts; create table marts.fct_payments (payment_id varchar)")
    return warehouse


def test_the_same_raw_rows_and_project_skip_the_build(warehouse):
    assert not warehouse.unchanged(), "no build recorded yet: must build"
    warehouse.record()
    assert warehouse.unchanged()
    counts = warehouse.land("charges", CHARGES)  # the same objects again: nothing changes
    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 0, 2)
    assert warehouse.unchanged()
    count, _, generation = warehouse.read()["raw"]["raw_stripe.charges"]
    assert (count, generation) == (2, 1)


CHANGES = {
    # a later version of an object landed (refund failed, dispute closed weeks later)
    "row-changed": lambda w: w.land("charges", [{**CHARGES[0], "amount": 1, "version": 2}]),
    # a new object landed
    "row-landed": lambda w: w.land("charges", [{**CHARGES[0], "id": "ch_3"}]),
    # an object deleted on the gateway was pruned: a full listing that saw only ch_1
    "row-pruned": lambda w: w.land("charges", CHARGES[:1], listed_at=100, prune_before=100),
    # a raw table of a new entity or gateway
    "table-added": lambda w: w.land("refunds", [{"id": "re_1", "created": 1}]),
    # the marts were dropped
    "marts-dropped": lambda w: w.sql("drop table marts.fct_payments"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_raw_change_or_missing_mart_builds(warehouse, change):
    warehouse.record()
    CHANGES[change](warehouse)
    assert not warehouse.unchanged()


def test_a_change_landed_with_an_earlier_clock_builds(warehouse):
    """The rows were landed while the clock ran a day ahead; corrected, the next change lands
    with a `synced_at` older than the newest one and the row count stays: only the tables'
    generation (a counter the landing moves) tells the change."""
    warehouse.sql("update raw_stripe.charges set synced_at = synced_at + interval '1 day'")
    warehouse.record()
    before = warehouse.read()["raw"]["raw_stripe.charges"]
    counts = warehouse.land("charges", [{**CHARGES[0], "amount": 1, "version": 2}])
    assert counts.updated == 1
    after = warehouse.read()["raw"]["raw_stripe.charges"]
    assert after[:2] == before[:2]  # the same count and newest synced_at
    assert not warehouse.unchanged()


def test_a_landing_never_stamps_rows_earlier_than_the_newest_stamp(warehouse):
    """`synced_at` never goes back in a warehouse (statements.landing_stamp): the customers
    were landed while the clock ran a day ahead (their rows and their stamp say so); the clock
    corrected, the charges landed next (one changed, one new) are stamped no earlier than
    them, so the incremental models' cutoff (their newest `synced_at` minus the lookback)
    re-selects them. An unchanged row keeps its stamp."""
    warehouse.sql(
        "update raw_stripe.customers set synced_at = synced_at + interval '1 day';"
        " update ledgerdesk.raw_stamps set stamped_at = stamped_at + interval '1 day'"
        " where raw_table = 'raw_stripe.customers'"
    )
    counts = warehouse.land(
        "charges", [{**CHARGES[0], "amount": 1, "version": 2}, {**CHARGES[1], "id": "ch_3"}]
    )
    assert (counts.inserted, counts.updated) == (1, 1)
    stamped = warehouse.rows(
        "select id, synced_at >= (select max(synced_at) from raw_stripe.customers)"
        " from raw_stripe.charges order by id"
    )
    assert stamped == [("ch_1", True), ("ch_2", False), ("ch_3", True)]


@pytest.mark.parametrize("warehouse", ["postgres"], indirect=True)  # DuckDB: under the lock
def test_on_postgresql_every_table_is_read_at_one_moment(warehouse, monkeypatch):
    """A landing that commits while the watermark is being read (after its first statement)
    is not half seen: the whole watermark is the one before it (REPEATABLE READ)."""
    before = warehouse.read()
    real_read = raw_watermark._read

    def read_while_a_landing_commits(execute):
        def execute_then_land(sql):
            rows = execute(sql)
            if not landed:
                landed.append(warehouse.land("charges", [{**CHARGES[0], "id": "ch_3"}]))
            return rows

        landed: list = []
        return real_read(execute_then_land)

    monkeypatch.setattr(raw_watermark, "_read", read_while_a_landing_commits)
    assert warehouse.read() == before
    monkeypatch.undo()
    after = warehouse.read()["raw"]["raw_stripe.charges"]
    assert after[0] == 3 and after[2] == before["raw"]["raw_stripe.charges"][2] + 1


def test_every_mart_of_the_manifest_must_be_built(warehouse):
    warehouse.record()
    assert warehouse.unchanged(marts=["fct_payments"])
    assert not warehouse.unchanged(marts=["dim_customers", "fct_payments"])
    assert not warehouse.unchanged(marts=[])


def test_a_changed_project_or_a_forgotten_build_builds(warehouse):
    warehouse.record()
    assert not warehouse.unchanged(key="project-key-2")
    raw_watermark.forget(warehouse.state)
    assert not warehouse.unchanged()


def test_a_build_not_published_builds_again(warehouse):
    """The build succeeded and was recorded, then publishing it failed: what readers see is
    an older build (or none), so the next run builds and publishes."""
    warehouse.record()
    assert raw_watermark.recorded_build(warehouse.state) == BUILD
    assert not warehouse.unchanged(served=None)  # nothing published yet
    assert not warehouse.unchanged(served="build-0")  # the build before
    assert warehouse.unchanged(served=BUILD)


def test_rows_of_another_project_or_an_unknown_build_are_built_again_in_full(warehouse):
    """--full-refresh (DECISIONLOG.md, 2026-12-03, room incr) unless the last successful
    build was of this very project."""
    state = warehouse.state
    assert raw_watermark.full_refresh_needed(state, KEY), "no build recorded: full"
    warehouse.record()
    assert not raw_watermark.full_refresh_needed(state, KEY)
    warehouse.land("charges", [{**CHARGES[0], "id": "ch_3"}])
    assert not raw_watermark.full_refresh_needed(state, KEY), "raw rows alone: incremental"
    assert raw_watermark.full_refresh_needed(state, "project-key-2")
    raw_watermark.forget(state)
    assert raw_watermark.full_refresh_needed(state, KEY), "a failed or forced build: full"


def test_the_snapshot_is_stamped_with_its_build(tmp_path):
    from pipelines.lib.publish import publish_marts, served_build

    path, published = tmp_path / "warehouse.duckdb", tmp_path / "published"
    with duckdb.connect(str(path)) as con:
        con.sql("create schema marts; create table marts.fct_payments as select 1 as x")
    assert served_build(published) is None
    publish_marts(path, published, build=BUILD)
    assert served_build(published) == BUILD
    publish_marts(path, published, build=None)  # a snapshot of no known build
    assert served_build(published) is None


def test_what_the_asset_reads_on_postgresql(pg_warehouse):
    """With warehouse.engine postgres: the record in ledgerdesk.raw_watermark (every machine
    that runs the transform sees it), the watermark read from the same database."""
    from types import SimpleNamespace

    from pipelines.defs.transform import raw_watermark_of

    settings = SimpleNamespace(
        engine="postgres", postgres=pg_warehouse, warehouse_path=Path("/nonexistent/w.duckdb")
    )
    kept, watermark = raw_watermark_of(settings)
    assert isinstance(kept, raw_watermark.PostgresState) and kept.dsn == pg_warehouse.dsn()
    assert watermark == raw_watermark.read_postgres(dsn=pg_warehouse.dsn())


def test_the_rule_is_off_when_asked_or_before_any_warehouse(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from pipelines.defs.transform import raw_watermark_of

    path = tmp_path / "warehouse.duckdb"
    Warehouse(Target.duckdb(path), raw_watermark.state_path(path, "duckdb")).land(
        "charges", CHARGES
    )
    settings = SimpleNamespace(engine="duckdb", warehouse_path=path)
    kept, watermark = raw_watermark_of(settings)
    assert kept == raw_watermark.state_path(path, "duckdb")
    assert watermark == raw_watermark.read_duckdb(path)
    monkeypatch.setenv("LEDGERDESK_ALWAYS_BUILD", "1")
    assert raw_watermark_of(settings) == (kept, None)
    monkeypatch.delenv("LEDGERDESK_ALWAYS_BUILD")
    missing = SimpleNamespace(engine="duckdb", warehouse_path=tmp_path / "none.duckdb")
    assert raw_watermark_of(missing)[1] is None


def test_the_dagster_asset_builds_what_was_not_published_and_forgets_a_failed_build(
    tmp_path, e2e_env, monkeypatch
):
    """Through the real assets (dbt, then publishing). The account is landed through the
    landing. The first run builds in full (no build known) and its publishing fails: the
    second run must build (incrementally: the same project) and publish. The third (nothing
    landed) runs no dbt. Then a raw row is edited by hand, older than any lookback, with no
    landing (no watermark moves): the fourth run, forced (LEDGERDESK_ALWAYS_BUILD), builds
    it in full (dbt got --full-refresh: an incremental build never re-selects such a row) and
    publishes it. Then a charge changes and the fifth run, asked for a full refresh (run
    config), fails at once in dbt: its record is gone, so the next run builds whatever it
    finds; a publish on its own then refuses (a failed build's
    marts may be half built), and what is served stays the last good build."""
    import dagster as dg
    from dagster_dbt import DbtCliResource

    import pipelines.defs.publish as publish_asset
    from ledgerdesk.config import load_settings
    from pipelines.defs.publish import marts_snapshot
    from pipelines.defs.transform import ledgerdesk_dbt_models
    from pipelines.lib.dbt_project import dbt_project
    from pipelines.lib.publish import served_build
    from pipelines.lib.resources import LedgerdeskSettings
    from tests.conftest import write_config
    from tests.dbt.edge_cases import warning_objects
    from tests.dbt.raw_warehouse import RAW_TABLES

    config = write_config(tmp_path, "http://127.0.0.1:9")
    settings = load_settings(config, e2e_env)
    path = settings.warehouse_path
    landed = Warehouse(Target.duckdb(path), raw_watermark.state_path(path, "duckdb"))
    objects = warning_objects()
    for entity in RAW_TABLES:
        landed.land(entity, objects.get(entity, []))
    instance = dg.DagsterInstance.ephemeral()

    def materialize(dbt_executable: str, run_config=None) -> tuple[dg.ExecuteInProcessResult, bool]:
        resources = {
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable),
            "ledgerdesk": LedgerdeskSettings(config_path=str(config)),
        }
        result = dg.materialize(
            [ledgerdesk_dbt_models, marts_snapshot], resources=resources, raise_on_error=False,
            run_config=run_config, instance=instance,
        )  # fmt: skip
        logs = [entry.user_message for entry in instance.all_logs(result.run_id)]
        return result, any(m.startswith("full refresh:") for m in logs)

    def publishing_fails(*_args, **_kwargs):
        raise OSError("the published folder is full")

    dbt = str(Path(sys.executable).with_name("dbt"))
    failing_dbt = tmp_path / "dbt"  # answers dagster-dbt's `--version`, fails any command
    failing_dbt.write_text(f'#!/bin/sh\n[ "$1" = --version ] && exec {dbt} --version\nexit 2\n')
    failing_dbt.chmod(0o755)
    forced = {"ops": {"ledgerdesk_dbt_models": {"config": {"full_refresh": True}}}}
    saved = dict(os.environ)  # the dbt step exports LEDGERDESK_WAREHOUSE for dbt
    try:
        for name in ("LEDGERDESK_ALWAYS_BUILD", "LEDGERDESK_FULL_REFRESH"):
            os.environ.pop(name, None)
        with monkeypatch.context() as patch:
            patch.setattr(publish_asset, "publish_marts", publishing_fails)
            unpublished, first_full = materialize(dbt)
        never_served = raw_watermark.recorded_build(landed.state)
        built, second_full = materialize(dbt)
        recorded = raw_watermark.recorded_build(landed.state)
        published = served_build(settings.published_dir)
        skipped, _ = materialize(dbt)
        edited = objects["charges"][1]["id"]
        landed.sql(
            "update raw_stripe.charges set payload = json_merge_patch(payload,"
            """ '{"description": "edited by hand"}'),"""
            f" synced_at = synced_at - interval '3 days' where id = '{edited}'"
        )
        os.environ["LEDGERDESK_ALWAYS_BUILD"] = "1"  # no watermark: a forced build
        refreshed, refreshed_full = materialize(dbt)
        os.environ.pop("LEDGERDESK_ALWAYS_BUILD")
        refreshed_published = served_build(settings.published_dir)
        with duckdb.connect(str(path), read_only=True) as con:
            descriptions = con.sql(
                "select description from marts.fct_payments where source_payment_id = ?",
                params=[edited],
            ).fetchall()
        landed.land("charges", [{**objects["charges"][0], "description": "later", "version": 2}])
        failed, forced_full = materialize(str(failing_dbt), forced)
        alone = dg.materialize(
            [marts_snapshot], resources={"ledgerdesk": LedgerdeskSettings(config_path=str(config))},
            raise_on_error=False, instance=instance,
        )  # fmt: skip
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert not unpublished.success and first_full  # dbt built (in full), publishing failed
    assert never_served is not None and served_build(settings.published_dir) != never_served
    keys = [e.asset_key.path for e in built.get_asset_materialization_events()]
    assert built.success and len(keys) > 20 and ["published", "marts_snapshot"] in keys
    assert not second_full  # the same project, its build known: incremental
    assert published not in (None, never_served)
    assert published == recorded
    assert skipped.success and skipped.get_asset_materialization_events() == []
    assert refreshed.success and refreshed_full
    assert descriptions == [("edited by hand",)]
    assert refreshed_published not in (None, published)
    assert not failed.success and forced_full
    assert not landed.state.exists()  # the failed build's claim is gone: the next run builds
    assert not alone.success  # nothing recorded: the marts may be half built
    assert served_build(settings.published_dir) == refreshed_published  # the last good build
