"""Running the Braintree sandbox on the kit's server (uvicorn in a background thread):
`serve(...)` like the Stripe sandbox's, answering as the gateway for one merchant account."""

from __future__ import annotations

from sandbox.braintree.app import (
    OTHER_CAP,
    PAGE_SIZE,
    PRIVATE_KEY,
    PUBLIC_KEY,
    TRANSACTION_CAP,
    BraintreeApp,
    BraintreeHandler,
)
from sandbox.braintree.faults import FaultPlan
from sandbox.braintree.store import BraintreeStore
from sandbox.kit.server import SandboxServer


class BraintreeServer(SandboxServer):
    """A running sandbox: `url` to point the SDK at, `store` to change, `stop()` (or `with`)."""

    app: BraintreeApp

    @property
    def store(self) -> BraintreeStore:
        return self.app.handler.store

    @property
    def handler(self) -> BraintreeHandler:
        return self.app.handler


def serve(
    store: BraintreeStore,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: FaultPlan | None = None,
    *,
    public_key: str = PUBLIC_KEY,
    private_key: str = PRIVATE_KEY,
    transaction_cap: int = TRANSACTION_CAP,
    other_cap: int = OTHER_CAP,
    dispute_page_size: int = PAGE_SIZE,
) -> BraintreeServer:
    """Start serving `store`; returns once the server accepts connections. The search caps
    are Braintree's (20,000 transactions, 10,000 others) unless a test sets them small; a
    test may set the dispute page size too (the reader must read it from each answer)."""
    handler = BraintreeHandler(
        store,
        faults,
        public_key=public_key,
        private_key=private_key,
        transaction_cap=transaction_cap,
        other_cap=other_cap,
        dispute_page_size=dispute_page_size,
    )
    server = BraintreeServer(BraintreeApp(handler), host, port)
    server.start()
    return server
