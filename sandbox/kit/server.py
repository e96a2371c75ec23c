"""Running a sandbox app on uvicorn in a background thread, on a port of its own."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


class SandboxServer:
    """A running sandbox: `url` to point the SDK at, `stop()` (or `with`) to end it."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
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
    def faults(self):
        return self.app.faults

    @faults.setter
    def faults(self, plan) -> None:
        self.app.faults = plan

    @property
    def requests_by_path(self):
        return self.app.requests_by_path

    def start(self, timeout: float = 10.0) -> SandboxServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the sandbox {type(self.app).__name__} did not start on {self.url}"
                )
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.force_exit = True  # do not wait for idle keep-alive connections
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_app(app: Any, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    """Start serving `app`; returns once the server accepts connections."""
    return SandboxServer(app, host, port).start()
