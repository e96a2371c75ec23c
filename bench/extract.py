"""`make bench-extract`: every registered gateway's extraction, measured the same way.

For each gateway `bench/<gateway>_bare.py` supplies its sandbox at a scale and a bare reader
(httpx + a fast parser, no SDK): `sandbox(scale)` -> context manager yielding (base_url,
credentials) and `bare_read(base_url, credentials) -> objects`. A gateway without that file
(or without either function) prints "not measured". Each measurement runs in a subprocess of
its own (the sandboxes serve from this process):

1. transport: the gateway's reader (its SDK transport, `module.reader(account).read()` over
   every entity) against the bare reader, the same pages from the same sandbox, rounds
   interleaved; objects/s and the ratio (aim >= 0.8);
2. memory: a full extraction through the runner (landing included) at the scale and at a
   quarter of it; peak RSS of each and their ratio (flat: near 1);
3. together: every gateway extracted at once through the pipeline's parallel runner, against
   the slowest gateway alone (aim: wall <= 1.2x);
4. Stripe under its live request limits (25 a second per endpoint, 100 in all, enforced by the
   sandbox kit's RateLimits): a full extraction's requests a second as a share of the
   ceiling, and of what the limits allow this data (its busiest endpoint alone needs
   requests/25 s).

    python bench/extract.py [--scale 1] [--rounds 3] [--only stripe ...] [--skip-limits]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "extract.json"
STRIPE_LIVE = {"per_path_per_second": 25, "total_per_second": 100}


def bare_module(gateway: str) -> ModuleType | str:
    """bench/<gateway>_bare.py, or why it cannot be measured."""
    path = ROOT / "bench" / f"{gateway}_bare.py"
    if not path.is_file():
        return f"no bench/{path.name}"
    spec = importlib.util.spec_from_file_location(f"bench_{gateway}_bare", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [f for f in ("sandbox", "bare_read") if not callable(getattr(module, f, None))]
    return f"bench/{path.name} lacks {', '.join(missing)}" if missing else module


# --- the worker (a subprocess per measurement) ---
def account_for(gateway: str, url: str, credentials: dict, rate_limits=None):
    from ledgerdesk.config import GatewayAccount

    names = {name: f"BENCH_{name.upper()}" for name in credentials}
    return GatewayAccount(
        gateway,
        "bench",
        credentials=names,
        secrets=credentials,
        api_base=url,
        rate_limits=rate_limits,
    )


def worker(job: dict) -> dict:
    from gateways.registry import gateway_modules

    modules = gateway_modules()
    started = time.perf_counter()
    if job["kind"] == "sdk":
        module = modules[job["gateway"]]
        reader = module.reader(account_for(job["gateway"], job["url"], job["credentials"]))
        objects = 0
        try:
            for entity in module.entities:
                for page in reader.read(entity):
                    objects += len(page.objects)
        finally:
            reader.close()
    elif job["kind"] == "fetch":  # every entity's listing side by side, nothing landed
        from concurrent.futures import ThreadPoolExecutor

        (gateway, served), *_ = job["gateways"].items()
        module = modules[gateway]
        account = account_for(gateway, served["url"], served["credentials"], served.get("limits"))

        def listing(entity: str) -> int:
            reader = module.reader(account)
            try:
                return sum(len(page.objects) for page in reader.read(entity))
            finally:
                reader.close()

        with ThreadPoolExecutor(len(module.entities)) as pool:
            objects = sum(pool.map(listing, module.entities))
    elif job["kind"] == "bare":
        objects = bare_module(job["gateway"]).bare_read(job["url"], job["credentials"])
    else:  # "land": full extractions through the parallel runner, one or several gateways
        from pipelines.extract.parallel import Task, extract_all

        tasks = [
            Task(modules[g], account_for(g, s["url"], s["credentials"], s.get("limits")), e)
            for g, s in job["gateways"].items()
            for e in modules[g].entities
        ]
        outcomes = extract_all(tasks, Path(job["db"]), full_refresh=True, log=lambda _m: None)
        failed = [o.error for o in outcomes if o.error]
        if failed:
            raise RuntimeError("; ".join(failed))
        objects = sum(o.result.objects_seen for o in outcomes)
    seconds = time.perf_counter() - started
    return {"objects": objects, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would keep the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_worker(job: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", json.dumps(job)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {job['kind']} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the measurements ---
def transport(gateway: str, bare: ModuleType, scale: float, rounds: int) -> dict:
    runs: dict[str, list[dict]] = {"sdk": [], "bare": []}
    with bare.sandbox(scale) as (url, credentials):
        for _ in range(rounds):
            for kind in runs:
                job = {"kind": kind, "gateway": gateway, "url": url, "credentials": credentials}
                runs[kind].append(run_worker(job))
    counts = {r["objects"] for rs in runs.values() for r in rs}
    if len(counts) != 1:
        raise RuntimeError(f"{gateway}: the readers read different pages: {sorted(counts)}")
    rate = {k: statistics.median(r["objects"] / r["seconds"] for r in v) for k, v in runs.items()}
    return {
        "objects": counts.pop(),
        **{f"{k}_per_s": v for k, v in rate.items()},
        "ratio": rate["sdk"] / rate["bare"],
    }


def memory(gateway: str, bare: ModuleType, scale: float, workdir: Path) -> dict:
    peaks = {}
    for size in (scale / 4, scale):
        with bare.sandbox(size) as (url, credentials):
            db = workdir / f"{gateway}-memory-{size}.duckdb"
            result = run_worker(
                {
                    "kind": "land",
                    "db": str(db),
                    "gateways": {gateway: {"url": url, "credentials": credentials}},
                }
            )
        peaks[size] = result
    small, big = peaks[scale / 4], peaks[scale]
    return {
        "objects": [small["objects"], big["objects"]],
        "peak_rss_mb": [small["peak_rss_mb"], big["peak_rss_mb"]],
        "growth": big["peak_rss_mb"] / small["peak_rss_mb"],
    }


def together(bares: dict[str, ModuleType], scale: float, workdir: Path) -> dict:
    with ExitStack() as stack:
        served = {
            g: dict(zip(("url", "credentials"), stack.enter_context(b.sandbox(scale)), strict=True))
            for g, b in bares.items()
        }
        alone = {
            g: run_worker(
                {"kind": "land", "db": str(workdir / f"alone-{g}.duckdb"), "gateways": {g: s}}
            )["seconds"]
            for g, s in served.items()
        }
        both = run_worker(
            {"kind": "land", "db": str(workdir / "together.duckdb"), "gateways": served}
        )["seconds"]
    slowest = max(alone.values())
    return {"alone_s": alone, "together_s": both, "ratio": both / slowest}


def stripe_limits(bare: ModuleType, scale: float, workdir: Path) -> dict | str:
    try:
        from sandbox.kit.faults import RateLimits
        from sandbox.stripe.faults import FaultPlan

        plan = FaultPlan(rate_limits=RateLimits(**STRIPE_LIVE))
    except (ImportError, TypeError) as exc:
        return f"not measured: the sandbox cannot enforce rate limits yet ({exc})"
    out = {}
    for kind in ("fetch", "land"):  # the listings alone, then the whole extraction
        with bare.sandbox(scale, faults=plan) as (url, credentials):
            server = bare.SERVERS[url]
            before = dict(server.requests_by_path)
            served = {"url": url, "credentials": credentials, "limits": STRIPE_LIVE}
            job = {
                "kind": kind,
                "db": str(workdir / f"limits-{kind}.duckdb"),
                "gateways": {"stripe": served},
            }
            result = run_worker(job)
            by_path = _by_endpoint(server.requests_by_path, before)
        requests = sum(by_path.values())
        busiest = max(by_path.values()) if by_path else 0
        per_s = requests / result["seconds"]
        allowed = requests / max(
            requests / STRIPE_LIVE["total_per_second"], busiest / STRIPE_LIVE["per_path_per_second"]
        )
        out[kind] = {
            "requests": requests,
            "objects": result["objects"],
            "seconds": result["seconds"],
            "requests_per_s": per_s,
            "share_of_ceiling": per_s / STRIPE_LIVE["total_per_second"],
            "share_of_allowed": per_s / allowed,
            "busiest_endpoint_requests": busiest,
        }
    return out


def _by_endpoint(now: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    """Requests the sandbox answered per endpoint since `before` (Stripe's endpoints: a list,
    and the retrieves of its objects)."""
    from gateways.stripe.transport import endpoint

    counts: dict[str, int] = {}
    for path, n in dict(now).items():
        key = endpoint(path)
        counts[key] = counts.get(key, 0) + n - before.get(path, 0)
    return {k: v for k, v in counts.items() if v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", action="append", help="gateways to measure (repeatable)")
    parser.add_argument("--skip-limits", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    from gateways.registry import gateway_modules

    gateways = [g for g in sorted(gateway_modules()) if not args.only or g in args.only]
    found = {g: bare_module(g) for g in gateways}
    bares = {g: m for g, m in found.items() if isinstance(m, ModuleType)}
    report: dict = {"scale": args.scale, "rounds": args.rounds, "gateways": {}}
    print("| gateway | objects | SDK objects/s | bare objects/s | ratio | peak MB (1/4 -> 1) |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        for gateway, bare in found.items():
            if not isinstance(bare, ModuleType):
                print(f"| {gateway} | not measured: {bare} | | | | |")
                report["gateways"][gateway] = {"not_measured": bare}
                continue
            t = transport(gateway, bare, args.scale, args.rounds)
            m = memory(gateway, bare, args.scale, Path(tmp))
            report["gateways"][gateway] = {"transport": t, "memory": m}
            print(
                f"| {gateway} | {t['objects']:,} | {t['sdk_per_s']:,.0f} | "
                f"{t['bare_per_s']:,.0f} | {t['ratio']:.2f} | "
                f"{m['peak_rss_mb'][0]:,.0f} -> {m['peak_rss_mb'][1]:,.0f} "
                f"(x{m['growth']:.2f}) |"
            )
        if len(bares) > 1:
            both = together(bares, args.scale, Path(tmp))
            report["together"] = both
            print(
                f"\nall {len(bares)} gateways at once: {both['together_s']:.1f} s; slowest "
                f"alone {max(both['alone_s'].values()):.1f} s: x{both['ratio']:.2f} "
                "(aim <= 1.2)"
            )
        else:
            print("\nall gateways at once: not measured (fewer than two gateways measurable)")
        if "stripe" in bares and not args.skip_limits:
            limits = stripe_limits(bares["stripe"], args.scale, Path(tmp))
            report["stripe_limits"] = limits
            if isinstance(limits, str):
                print(f"Stripe under live limits: {limits}")
                limits = {}
            for kind, what in (("fetch", "listings alone"), ("land", "whole extraction")):
                if kind not in limits:
                    continue
                x = limits[kind]
                print(
                    f"Stripe under live limits (25/s per endpoint, 100/s in all), {what}: "
                    f"{x['requests']:,} requests in {x['seconds']:.1f} s = "
                    f"{x['requests_per_s']:.1f}/s, {x['share_of_ceiling']:.0%} of the ceiling, "
                    f"{x['share_of_allowed']:.0%} of what the limits allow this data "
                    f"(busiest endpoint {x['busiest_endpoint_requests']:,} requests)"
                )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
