"""`python -m sandbox.stripe --seed 42 --scale 1 --port 12111`: the demo's Stripe sandbox.

It serves the business's Stripe share (`StripeStore.from_business`: the customers on
stripe/sandbox and what they own); `--live-rate-limits` answers 429 past Stripe's live limits.

The accepted API key is `sk_test_ledgerdesk_sandbox` unless the launcher passes another, by
value (`--api-key`) or by the name of the environment variable holding it (`--api-key-env`),
so the launcher and the pipeline's configuration can share one variable.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from pathlib import Path

from sandbox.stripe.app import DEFAULT_API_KEY
from sandbox.stripe.faults import LIVE_RATE_LIMITS, FaultPlan
from sandbox.stripe.server import serve
from sandbox.stripe.store import API_VERSION, StripeStore


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.stripe", description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--api-key", help="the secret key to accept")
    parser.add_argument("--api-key-env", help="environment variable holding the key to accept")
    parser.add_argument(
        "--api-version",
        default=API_VERSION,
        help=f"answer in this API version's shapes (default {API_VERSION}; e.g. 2020-08-27)",
    )
    parser.add_argument(
        "--live-rate-limits",
        action="store_true",
        help="enforce Stripe's live-mode limits: 25 requests a second per endpoint, 100 in all",
    )
    parser.add_argument(
        "--examples",
        type=Path,
        help="serve a small history built from Stripe's fixtures3.json instead of the business",
    )
    return parser.parse_args(argv)


def _accepted_key(args: argparse.Namespace) -> str:
    if args.api_key:
        return args.api_key
    if args.api_key_env:
        # The launcher names the variable; reading it here keeps the key off the command line.
        key = os.environ.get(args.api_key_env)
        if not key:
            raise SystemExit(f"environment variable {args.api_key_env} is not set or empty")
        return key
    return DEFAULT_API_KEY


def _store(args: argparse.Namespace) -> StripeStore:
    if args.examples:
        from sandbox.stripe.examples import example_objects

        resources = json.loads(args.examples.read_text())["resources"]
        return StripeStore(example_objects(resources, n=max(1, int(30 * args.scale))))
    from sandbox.business import generate

    return StripeStore.from_business(generate(seed=args.seed, scale=args.scale))


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    store = _store(args)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    keys = {_accepted_key(args): None}
    faults = FaultPlan(rate_limits=LIVE_RATE_LIMITS) if args.live_rate_limits else None
    with serve(
        store, args.host, args.port, faults, api_keys=keys, api_version=args.api_version
    ) as server:
        print(
            f"Stripe sandbox on {server.url} ({store.count('customers')} customers, "
            f"{store.count('charges')} charges, API {args.api_version})",
            flush=True,
        )
        stop.wait()


if __name__ == "__main__":
    main()
