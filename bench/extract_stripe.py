"""Benchmark: Ledgerdesk's Stripe extractor against a bare reader, same sandbox, same landing.

The sandbox runs in this process (uvicorn in a thread) with N charges: the business generator
at scale 1 (about 14,000 charges), replicated with new ids and earlier `created` times up to N
(generating N charges directly takes minutes). Each round runs, each in its own subprocess and
into a fresh DuckDB file:
  (a) extract_stripe_entity(account, "charges", full_refresh=True)  (SDK transport + orjson)
  (b) a bare reader: httpx + orjson pages -> the same landing batches
Rounds interleave (a, b, a, b, ...). The same is repeated at N/4 charges to show that peak
memory does not grow with the number of objects. Results: a table on stdout and
bench/results/extract_stripe.json.

    python bench/extract_stripe.py [--charges 200000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "extract_stripe.json"
SANDBOX_KEY = "sk_test_ledgerdesk_sandbox"
READERS = ("ledgerdesk", "bare")


def charges_objects(n: int) -> dict[str, list[dict]]:
    from sandbox.business import generate
    from sandbox.stripe.render import render_business

    base = render_business(generate(seed=42, scale=1))["charges"]
    out = []
    for k in range(-(-n // len(base))):
        for c in base:
            if len(out) == n:
                break
            copy = (
                dict(c)
                if k == 0
                else {**c, "id": f"{c['id']}x{k}", "created": c["created"] - k * 997}
            )
            out.append(copy)
    return {"charges": out}


def _import_readers() -> None:
    """Import both readers' libraries up front in the worker (httpx for the bare one)."""
    import httpx  # noqa: F401
    import orjson  # noqa: F401


def run_worker(reader: str, url: str, db: Path) -> dict:
    cmd = [sys.executable, __file__, "--worker", reader, "--url", url, "--db", str(db)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{reader} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(reader: str, url: str, db: Path) -> None:
    """Runs in the subprocess: read every charge into `db`, print one JSON line."""
    from ledgerdesk.config import GatewayAccount
    from pipelines.extract.landing import warehouse_connection
    from pipelines.extract.stripe import extract_stripe_entity

    started = time.perf_counter()  # imports above are outside the measurement, for both
    if reader == "ledgerdesk":
        account = GatewayAccount("stripe", "bench", "BENCH_KEY", SANDBOX_KEY, "USD", url)
        extract_stripe_entity(account, "charges", db, full_refresh=True, log=lambda _m: None)
    else:
        bare_reader(url, db)
    seconds = time.perf_counter() - started
    with warehouse_connection(db) as con:
        landed = con.execute("select count(*) from raw_stripe.charges").fetchone()[0]
    print(json.dumps({"objects": landed, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not getrusage's ru_maxrss: on Linux that keeps
    the parent's peak across fork + exec, so every child would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bare_reader(url: str, db: Path, batch_objects: int = 5_000) -> None:
    from pipelines.extract.batch import LandingBatch
    from pipelines.extract.landing import land_batch

    headers = {"Authorization": f"Bearer {SANDBOX_KEY}"}
    batch = LandingBatch("stripe", "bench", "charges")
    after = None
    import httpx
    import orjson

    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        while True:
            params = {"limit": 100, **({"starting_after": after} if after else {})}
            page = orjson.loads(client.get("/v1/charges", params=params).content)
            now = int(time.time())
            for obj in page["data"]:
                batch.add(obj, now)
            if len(batch) >= batch_objects or not page["has_more"]:
                land_batch(db, batch)
                batch = LandingBatch("stripe", "bench", "charges")
            if not page["has_more"]:
                return
            after = page["data"][-1]["id"]


def bench_size(n: int, rounds: int, workdir: Path) -> dict:
    from sandbox.stripe.server import serve
    from sandbox.stripe.store import StripeStore

    t = time.perf_counter()
    store = StripeStore(charges_objects(n))
    print(
        f"sandbox with {store.count('charges'):,} charges built in {time.perf_counter() - t:.1f} s"
    )
    runs: dict[str, list[dict]] = {r: [] for r in READERS}
    with serve(store) as server:
        for k in range(rounds):
            for reader in READERS:
                result = run_worker(reader, server.url, workdir / f"{reader}-{n}-{k}.duckdb")
                if result["objects"] != n:
                    raise RuntimeError(f"{reader} landed {result['objects']} of {n} charges")
                result["objects_per_s"] = n / result["seconds"]
                runs[reader].append(result)
                print(
                    f"  round {k + 1} {reader:>10}: {result['objects_per_s']:>8,.0f} objects/s, "
                    f"peak RSS {result['peak_rss_mb']:,.0f} MB"
                )
    summary = {
        r: {
            "median_objects_per_s": statistics.median(x["objects_per_s"] for x in runs[r]),
            "max_peak_rss_mb": max(x["peak_rss_mb"] for x in runs[r]),
        }
        for r in READERS
    }
    ratio = summary["ledgerdesk"]["median_objects_per_s"] / summary["bare"]["median_objects_per_s"]
    return {"charges": n, "rounds": runs, "summary": summary, "ratio": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charges", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", choices=READERS)
    parser.add_argument("--url")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.worker:
        _import_readers()
        worker(args.worker, args.url, args.db)
        return
    sizes = [args.charges, max(1, args.charges // 4)]
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        results = [bench_size(n, args.rounds, Path(tmp)) for n in sizes]
    print("\n| charges | reader | objects/s (median) | peak RSS MB (max) | vs bare |")
    print("|---:|---|---:|---:|---:|")
    for res in results:
        for r in READERS:
            s = res["summary"][r]
            vs = res["ratio"] if r == "ledgerdesk" else 1.0
            print(
                f"| {res['charges']:,} | {r} | {s['median_objects_per_s']:,.0f} "
                f"| {s['max_peak_rss_mb']:,.0f} | {vs:.2f} |"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"sizes": results}, indent=2))
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
