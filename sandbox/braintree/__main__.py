"""`python -m sandbox.braintree --seed 42 --scale 1 --port 12112`: the demo's Braintree gateway,
serving the business's Braintree share as merchant `ledgerdesk_sandbox`.

The accepted public and private keys are `ledgerdesk_public` / `ledgerdesk_private` unless the
launcher names the environment variables holding others (`--public-key-env`,
`--private-key-env`), so the launcher and the pipeline's configuration share the variables.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading

from sandbox.braintree.app import PRIVATE_KEY, PUBLIC_KEY
from sandbox.braintree.business import braintree_share
from sandbox.braintree.server import serve
from sandbox.braintree.store import MERCHANT_ID, BraintreeStore


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.braintree", description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12112)
    parser.add_argument("--account", default="sandbox", help="the business account served")
    parser.add_argument("--merchant-id", default=MERCHANT_ID)
    parser.add_argument("--merchant-id-env", help="environment variable holding the merchant id")
    parser.add_argument("--public-key-env", help="environment variable holding the public key")
    parser.add_argument("--private-key-env", help="environment variable holding the private key")
    return parser.parse_args(argv)


def _key(env_name: str | None, default: str) -> str:
    if not env_name:
        return default
    value = os.environ.get(env_name)
    if not value:
        raise SystemExit(f"environment variable {env_name} is not set or empty")
    return value


def main(argv: list[str] | None = None) -> None:
    from sandbox.business import generate

    args = _arguments(argv)
    share = braintree_share(generate(seed=args.seed, scale=args.scale), args.account)
    merchant_id = _key(args.merchant_id_env, args.merchant_id)
    store = BraintreeStore(share, merchant_id=merchant_id)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    public = _key(args.public_key_env, PUBLIC_KEY)
    private = _key(args.private_key_env, PRIVATE_KEY)
    with serve(store, args.host, args.port, public_key=public, private_key=private) as server:
        counts = {k: len(v) for k, v in store.records.items()}
        print(f"Braintree sandbox on {server.url} (merchant {merchant_id}, {counts})", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
