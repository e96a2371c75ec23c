"""`make bench-dbt`: how long `dbt build` takes, per engine, at demo scale and at ten times
that; a full build, then an incremental one with nothing new, then one after a small change
(1% of every raw table's rows landed again: the incremental models re-select them), then the
pipeline's own no-change path (pipelines/lib/raw_watermark.py: the transform is skipped when
no raw row changed). The raw rows are aged two days first, past the incremental lookback
(one day), as an hourly run finds them (DECISIONLOG.md, 2026-12-03, room incr).

Raw data: every gateway's bench sandbox (bench/<gateway>_bare.py) at each scale, extracted
through the pipeline's parallel runner into a DuckDB file once per scale; PostgreSQL gets a
copy of it (ledgerdesk/raw_copy.py) in a database of its own, dropped at the end. dbt runs
as the pipeline runs it (`dbt build`, one target folder per engine and scale, so partial
parsing applies from the second run on, as for Dagster's runs on one warehouse).

Printed per engine and scale: wall seconds of each build (the minimum of --repeats: numbers
taken while other work shares the machine are noisy), what dbt's run_results.json says went
to models and to tests, the slowest nodes, incremental/full (aim <= 5%), small change/full,
and the growth from the small scale to the large one.

    python bench/dbt.py [--scales 1 10] [--engines duckdb postgres] [--repeats 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extract_worker import bare_module, run_worker  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "dbt.json"
PROJECT = ROOT / "dbt_project"
DBT = str(Path(sys.executable).with_name("dbt"))


def land_raw(scale: float, path: Path) -> dict:
    """Every gateway's sandbox at `scale`, extracted into the DuckDB file at `path`."""
    from gateways.registry import gateway_modules

    bares = {g: bare_module(g) for g in sorted(gateway_modules())}
    with ExitStack() as stack:
        served = {
            g: dict(zip(("url", "credentials"), stack.enter_context(b.sandbox(scale)), strict=True))
            for g, b in bares.items()
            if not isinstance(b, str)
        }
        return run_worker({"kind": "land", "db": str(path), "gateways": served})


class Engine:
    """Where dbt builds: `warehouse(raw)` prepares one from the raw DuckDB file and yields
    the environment dbt needs; `target` is the profiles.yml target."""

    name = "duckdb"
    target = "dev"

    @contextmanager
    def warehouse(self, raw: Path, workdir: Path):
        path = workdir / f"{raw.stem}-{self.name}.duckdb"
        shutil.copyfile(raw, path)
        yield {"LEDGERDESK_WAREHOUSE": str(path)}, path

    def unreachable(self) -> str | None:
        return None


class Postgres(Engine):
    name = "postgres"
    target = "postgres"

    def unreachable(self) -> str | None:
        import psycopg

        from pipelines.extract.engines import postgres

        try:
            psycopg.connect(postgres.pg_dsn(), connect_timeout=3).close()
        except psycopg.OperationalError as error:
            return f"PostgreSQL unreachable at {postgres.safe_dsn(postgres.pg_dsn())}: {error}"
        return None

    @contextmanager
    def warehouse(self, raw: Path, workdir: Path):
        import psycopg

        from ledgerdesk.raw_copy import copy_warehouse
        from pipelines.extract.engines import postgres

        name = f"ledgerdesk_bench_{uuid.uuid4().hex[:12]}"
        admin = psycopg.connect(postgres.pg_dsn(), autocommit=True)
        admin.execute(f"create database {name}")
        try:
            with psycopg.connect(postgres.pg_dsn(), dbname=name) as conn:
                copy_warehouse(raw, conn)
                conn.commit()
            # A small DuckDB file still backs the bookkeeping dbt never reads from here.
            yield {"LEDGERDESK_PG_DBNAME": name}, None
        finally:
            admin.execute(f"drop database if exists {name} with (force)")
            admin.close()


ENGINES = {"duckdb": Engine(), "postgres": Postgres()}


def raw_sql(engine: Engine, env: dict, path: Path | None, statements) -> None:
    """`statements(tables, count)` -> SQL run on the warehouse's raw tables; `count(table)`
    gives a table's rows."""
    query = (
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_schema like 'raw_%' order by 1"
    )
    if engine.name == "postgres":
        import psycopg

        from pipelines.extract.engines import postgres

        with psycopg.connect(postgres.pg_dsn(), dbname=env["LEDGERDESK_PG_DBNAME"]) as conn:
            tables = [row[0] for row in conn.execute(query).fetchall()]
            count = lambda table: conn.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: E731
            for sql in statements(tables, count):
                conn.execute(sql)
        return
    import duckdb

    with duckdb.connect(str(path)) as con:
        tables = [row[0] for row in con.sql(query).fetchall()]
        count = lambda table: con.sql(f"select count(*) from {table}").fetchall()[0][0]  # noqa: E731
        for sql in statements(tables, count):
            con.execute(sql)


def aged(tables, count) -> list[str]:
    """Every raw row landed two days ago: past the incremental models' lookback."""
    return [f"update {t} set synced_at = synced_at - interval '2 days'" for t in tables]


def small_change(tables, count) -> list[str]:
    """1% of each raw table's rows (at least one) landed again now, chosen by md5 of the id."""
    return [
        f"update {t} set synced_at = current_timestamp where id in"
        f" (select id from {t} order by md5(id) limit {max(1, count(t) // 100)})"
        for t in tables
    ]


def dbt_build(engine: Engine, env: dict, target_path: Path, *extra: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [DBT, "build", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
         "--target", engine.target, "--target-path", str(target_path), *extra],
        env={**os.environ, **env}, capture_output=True, text=True, check=False, cwd=PROJECT,
    )  # fmt: skip
    wall = time.perf_counter() - started
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    if done.returncode != 0:
        errors = [r["unique_id"] for r in results if r["status"] in ("error", "fail")]
        raise RuntimeError(f"dbt build failed on {engine.name}: {errors}\n{done.stdout[-3000:]}")
    return {"wall_s": wall, **split_timing(results)}


def split_timing(results: list[dict]) -> dict:
    """Seconds dbt spent per kind of node, and the slowest nodes."""
    by_kind: dict[str, float] = {}
    for r in results:
        kind = r["unique_id"].split(".", 1)[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + r["execution_time"]
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:6]
    return {
        "nodes": len(results),
        "seconds_by_kind": by_kind,
        "slowest": [
            (r["unique_id"].split(".")[-1], round(r["execution_time"], 2)) for r in slowest
        ],
        "models_run": sum(
            1 for r in results if r["unique_id"].startswith("model.") and r["status"] == "success"
        ),
    }


def skip_check(engine: Engine, env: dict, path: Path | None, state: Path) -> dict:
    """The pipeline's no-change path: read the raw watermark, compare it with the one the last
    build recorded (pipelines/lib/raw_watermark.py)."""
    from pipelines.lib import raw_watermark
    from pipelines.lib.dbt_parse_state import project_key

    started = time.perf_counter()
    if engine.name == "postgres":
        watermark = raw_watermark.read_postgres(env["LEDGERDESK_PG_DBNAME"])
    else:
        watermark = raw_watermark.read_duckdb(path)
    # "bench": the build id the pipeline's publish step would have stamped what it serves with
    key = project_key(PROJECT, state)
    unchanged = raw_watermark.unchanged(state, watermark, key, "bench", watermark["marts"])
    return {"wall_s": time.perf_counter() - started, "skipped": unchanged, "watermark": watermark}


def bench_engine(engine: Engine, raw: Path, workdir: Path, repeats: int) -> dict:
    from pipelines.lib import raw_watermark
    from pipelines.lib.dbt_parse_state import project_key

    target = workdir / f"target-{raw.stem}-{engine.name}"
    runs: dict[str, list[dict]] = {
        "full": [], "incremental": [], "small_change": [], "skip_check": []
    }  # fmt: skip
    with engine.warehouse(raw, workdir) as (env, path):
        raw_sql(engine, env, path, aged)
        for _ in range(repeats):
            runs["full"].append(dbt_build(engine, env, target, "--full-refresh"))
        for _ in range(repeats):
            runs["incremental"].append(dbt_build(engine, env, target))
        for _ in range(repeats):
            # each repeat after a full build of the same aged rows, so each sees 1% changed
            raw_sql(engine, env, path, aged)
            dbt_build(engine, env, target, "--full-refresh")
            raw_sql(engine, env, path, small_change)
            runs["small_change"].append(dbt_build(engine, env, target))
        state = workdir / f"watermark-{raw.stem}-{engine.name}.json"
        first = skip_check(engine, env, path, state)
        raw_watermark.record(state, first["watermark"], project_key(PROJECT, state), "bench")
        for _ in range(repeats):
            runs["skip_check"].append(skip_check(engine, env, path, state))
    best = {kind: min(rs, key=lambda r: r["wall_s"]) for kind, rs in runs.items()}
    for r in best["skip_check"], *runs["skip_check"]:
        r.pop("watermark", None)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep raw files here (default: a temp dir)")
    args = parser.parse_args()
    # Stopped midway: still drop the PostgreSQL database made for the run (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report: dict = {"scales": args.scales, "repeats": args.repeats, "engines": {}}
    with tempfile.TemporaryDirectory(prefix="bench-dbt-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        raws = {}
        for scale in args.scales:
            raw = workdir / f"raw-x{scale:g}.duckdb"
            if not raw.exists():
                landed = land_raw(scale, raw)
                print(
                    f"scale {scale:g}: {landed['objects']:,} objects landed in "
                    f"{landed['seconds']:.1f} s"
                )
            raws[scale] = raw
        for name in args.engines:
            engine = ENGINES[name]
            why = engine.unreachable()
            if why:
                print(f"\n{name}: not measured: {why}")
                report["engines"][name] = {"not_measured": why}
                continue
            per_scale = {s: bench_engine(engine, raws[s], workdir, args.repeats) for s in raws}
            report["engines"][name] = per_scale
            print_engine(name, per_scale)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


def print_engine(name: str, per_scale: dict) -> None:
    print(f"\n{name}: dbt build, wall seconds (min of repeats)")
    print(
        "| scale | full s | models s | tests s | no-change build s (models s) | incr/full "
        "| 1% changed s (models s) | small/full | no-change check s | check/full |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, best in per_scale.items():
        full, incr, check = best["full"], best["incremental"], best["skip_check"]
        small = best["small_change"]
        kinds = full["seconds_by_kind"]
        print(
            f"| x{scale:g} | {full['wall_s']:.1f} | {kinds.get('model', 0):.1f} | "
            f"{kinds.get('test', 0) + kinds.get('unit_test', 0):.1f} | {incr['wall_s']:.1f} "
            f"({incr['seconds_by_kind'].get('model', 0):.1f}) | "
            f"{incr['wall_s'] / full['wall_s']:.1%} | {small['wall_s']:.1f} "
            f"({small['seconds_by_kind'].get('model', 0):.1f}) | "
            f"{small['wall_s'] / full['wall_s']:.1%} | "
            f"{check['wall_s']:.2f} (skipped: {check['skipped']}) | "
            f"{check['wall_s'] / full['wall_s']:.2%} |"
        )
    scales = sorted(per_scale)
    if len(scales) > 1:
        small, big = per_scale[scales[0]], per_scale[scales[-1]]
        size = scales[-1] / scales[0]
        growth = ", ".join(
            f"{kind} x{big[kind]['wall_s'] / small[kind]['wall_s']:.2f}"
            for kind in ("full", "incremental", "small_change")
        )
        print(f"cost growth for x{size:g} the data: {growth}")
    for scale, best in per_scale.items():
        print(f"slowest nodes at x{scale:g}, full: {best['full']['slowest']}")
        print(f"slowest nodes at x{scale:g}, incremental: {best['incremental']['slowest']}")
        print(f"slowest nodes at x{scale:g}, 1% changed: {best['small_change']['slowest']}")


if __name__ == "__main__":
    main()
