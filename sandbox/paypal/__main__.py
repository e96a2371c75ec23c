"""`python -m sandbox.paypal --seed 42 --scale 1 --port 12113`: the demo's PayPal sandbox,
serving PayPal's share of the business.

The accepted client credentials are `client-id` / `client-secret` unless the launcher names
the environment variables holding them (`--client-id-env`, `--client-secret-env`), so the
launcher and the pipeline's configuration can share them.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading

from sandbox.paypal.server import serve
from sandbox.paypal.testing import CLIENT_ID, CLIENT_SECRET, paypal_store


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.paypal", description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12113)
    parser.add_argument("--account", default="sandbox", help="the business account served")
    parser.add_argument("--client-id-env", help="environment variable holding the client id")
    parser.add_argument("--client-secret-env", help="environment variable holding the secret")
    parser.add_argument(
        "--max-lag-seconds", type=int, default=3 * 3600,
        help="how late Transaction Search lists a transaction (PayPal: up to 3 hours)",
    )  # fmt: skip
    return parser.parse_args(argv)


def _credential(env: str | None, default: str) -> str:
    if not env:
        return default
    value = os.environ.get(env)
    if not value:
        raise SystemExit(f"environment variable {env} is not set or empty")
    return value


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    clients = {
        _credential(args.client_id_env, CLIENT_ID): _credential(
            args.client_secret_env, CLIENT_SECRET
        )
    }
    share, store = paypal_store(
        seed=args.seed,
        scale=args.scale,
        account=args.account,
        clients=clients,
        max_lag_seconds=args.max_lag_seconds,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with serve(store, args.host, args.port) as server:
        print(
            f"PayPal sandbox on {server.url} ({len(share.customers)} customers, "
            f"{len(store.rows)} transactions)",
            flush=True,
        )
        stop.wait()


if __name__ == "__main__":
    main()
