"""Running the Braintree sandbox on uvicorn in a background thread: `serve(...)` like the
Stripe sandbox's, answering as the gateway for one merchant account."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from sandbox.braintree.app import (
    OTHER_CAP,
    PRIVATE_KEY,
    PUBLIC_KEY,
    TRANSACTION_CAP,
    BraintreeApp,
    BraintreeHandler,
)
from sandbox.braintree.faults import FaultPlan
from sandbox.braintree.store import BraintreeStore


class BraintreeServer:
    """A running sandbox: `url` to point the SDK at, `stop()` (or `with`) to end it."""

    def __init__(self, app: BraintreeApp, host: str, port: int) -> None:
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def store(self) -> BraintreeStore:
        return self.app.handler.store

    @property
    def handler(self) -> BraintreeHandler:
        return self.app.handler

    @property
    def faults(self) -> FaultPlan:
        return self.app.faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self.app.faults = plan

    @property
    def requests_by_path(self):
        return self.app.requests_by_path

    def start(self, timeout: float = 10.0) -> BraintreeServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the Braintree sandbox did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> BraintreeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


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
) -> BraintreeServer:
    """Start serving `store`; returns once the server accepts connections. The search caps
    are Braintree's (20,000 transactions, 10,000 others) unless a test sets them small."""
    handler = BraintreeHandler(
        store,
        faults,
        public_key=public_key,
        private_key=private_key,
        transaction_cap=transaction_cap,
        other_cap=other_cap,
    )
    return BraintreeServer(BraintreeApp(handler), host, port).start()
