"""Running the PayPal sandbox: `serve(store)` on the kit's server (uvicorn in a thread)."""

from __future__ import annotations

from sandbox.kit.faults import FaultPlan
from sandbox.kit.server import SandboxServer
from sandbox.paypal.app import PayPalApp
from sandbox.paypal.handlers import PayPalHandler
from sandbox.paypal.store import PayPalStore


def serve(
    store: PayPalStore, host: str = "127.0.0.1", port: int = 0, faults: FaultPlan | None = None
) -> SandboxServer:
    """Start a PayPal sandbox serving `store`; returns it running (`.url`, `.app.store`,
    `.faults`, `.requests_by_path`, `stop()` or `with`)."""
    return SandboxServer(PayPalApp(PayPalHandler(store), faults), host, port).start()
