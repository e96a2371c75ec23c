"""The measurements of `make bench-extract` (bench/extract.py), each over workers
(bench/extract_worker.py) against the gateways' bench sandboxes (bench/<gateway>_bare.py)."""

from __future__ import annotations

import statistics
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

from bench.extract_worker import run_worker

STRIPE_LIVE = {"per_path_per_second": 25, "total_per_second": 100}


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
