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
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extract_measures import memory, stripe_limits, together, transport  # noqa: E402
from bench.extract_worker import bare_module  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "extract.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", action="append", help="gateways to measure (repeatable)")
    parser.add_argument("--skip-limits", action="store_true")
    args = parser.parse_args()
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
            print_together(both)
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


def print_together(both: dict) -> None:
    """Whole extractions (landing included): each gateway alone, then all at once, as rows."""
    slowest = max(both["alone_s"].values())
    print("\n| extraction (full, landed) | wall s | vs slowest alone |")
    print("|---|---:|---:|")
    for gateway, seconds in both["alone_s"].items():
        print(f"| {gateway} alone | {seconds:.1f} | {seconds / slowest:.2f} |")
    print(
        f"| all {len(both['alone_s'])} gateways in parallel | {both['together_s']:.1f} | "
        f"{both['ratio']:.2f} (aim <= 1.2) |"
    )


if __name__ == "__main__":
    main()
