"""Running the Stripe sandbox app on the kit's uvicorn runner (`sandbox.kit.server`)."""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.kit.server import SandboxServer as KitServer
from sandbox.stripe.app import StripeApp
from sandbox.stripe.faults import FaultPlan
from sandbox.stripe.store import API_VERSION, StripeStore


class SandboxServer(KitServer):
    """A running Stripe sandbox: `url`, `store`, `faults`, `requests_by_path`, `stop()`."""

    app: StripeApp

    @property
    def store(self) -> StripeStore:
        return self.app.store


def serve(
    store: StripeStore,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: FaultPlan | None = None,
    api_keys: Mapping[str, frozenset[str] | set[str] | None] | None = None,
    api_version: str = API_VERSION,
) -> SandboxServer:
    """Start serving `store`; returns once the server accepts connections.

    `api_version` older than the pinned one (e.g. "2020-08-27") answers every object in that
    version's shape (`versions.downgrade`), as an account pinned to it would. Stripe's live
    rate limits: `faults=FaultPlan(rate_limits=LIVE_RATE_LIMITS)` (`sandbox.stripe.faults`).
    """
    app = StripeApp(store, faults, api_keys, api_version=api_version)
    return SandboxServer(app, host, port).start()
