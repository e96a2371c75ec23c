"""Running the PayPal sandbox on uvicorn in a background thread: `serve(store)`."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from sandbox.paypal.app import PayPalApp
from sandbox.paypal.faults import FaultPlan
from sandbox.paypal.handlers import PayPalHandler
from sandbox.paypal.store import PayPalStore


class PayPalSandbox:
    """A running sandbox: `url` to point the SDK at, `stop()` (or `with`) to end it."""

    def __init__(self, app: PayPalApp, host: str, port: int) -> None:
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def store(self) -> PayPalStore:
        return self.app.store

    @property
    def faults(self) -> FaultPlan:
        return self.app.faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self.app.faults = plan

    @property
    def requests_by_path(self):
        return self.app.requests_by_path

    def start(self, timeout: float = 10.0) -> PayPalSandbox:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the PayPal sandbox did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> PayPalSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(store: PayPalStore, host: str = "127.0.0.1", port: int = 0, faults=None):
    """Start a PayPal sandbox serving `store`; returns it running: on the shared sandbox kit
    when it is there (its faults and rate limits), else on this package's own app."""
    from sandbox.paypal import app as apps

    handler = PayPalHandler(store)
    if apps.KitApp is not None:
        from sandbox.kit.server import SandboxServer

        server = SandboxServer(apps.PayPalKitApp(handler, faults), host, port)
        server.store = store
        return server.start()
    return PayPalSandbox(PayPalApp(handler, faults), host, port).start()
