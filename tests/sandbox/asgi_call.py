"""Driving a raw ASGI app in-process, without a server: one request in, (status, headers,
body) out. The rate-limit tests use it with a fake clock, so they count, never time."""

from __future__ import annotations

import asyncio


def call(app, method: str, path: str, headers: dict[str, str] | None = None,
         body: bytes = b"", query: bytes = b"") -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    sent: list[dict] = []
    chunks = [{"type": "http.request", "body": body[:3], "more_body": True},
              {"type": "http.request", "body": body[3:], "more_body": False}]  # fmt: skip

    async def receive():
        return chunks.pop(0)

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start, done = sent
    out = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], out, done["body"]


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
