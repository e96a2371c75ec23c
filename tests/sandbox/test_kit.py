"""The sandbox kit on a made-up gateway: what every gateway's server gets from it."""

from __future__ import annotations

import httpx
import orjson
import pytest

from sandbox.kit.app import KitApp
from sandbox.kit.faults import FaultPlan, RateLimits
from sandbox.kit.http import Refusal, Request, Response
from sandbox.kit.pages import PageCache
from sandbox.kit.server import serve_app
from tests.sandbox.asgi_call import FakeClock, call


class ToyWire:
    def rate_limited(self, retry_after: int) -> Response:
        return Response(429, b"slow down", "text/plain", [("retry-after", str(retry_after))])

    def server_error(self, request: Request) -> Response:
        return Response(503, f"oops {request.request_id}".encode(), "text/plain")

    def not_found(self, request: Request) -> Response:
        return Response(404, b"<error>no</error>", "application/xml")


class ToyApp(KitApp):
    """Basic auth `toy:secret`; echoes the request; `/refuse` refuses from inside."""

    idempotency_header = "x-idem"

    def __init__(self, **kwargs) -> None:
        super().__init__(ToyWire(), **kwargs)
        self.handled = 0

    def request_id_for(self, number: int) -> str:
        return f"toy-{number}"

    def base_headers(self, request: Request) -> list[tuple[str, str]]:
        return [("x-request-id", request.request_id)]

    def authenticate(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != "Basic dG95OnNlY3JldA==":
            return Response(401, b"who are you", "text/plain")
        return None

    def handle(self, request: Request) -> Response:
        self.handled += 1
        if request.path == "/refuse":
            raise Refusal(Response(422, b"no such thing", "text/plain"))
        if request.path == "/missing":
            return self.wire.not_found(request)
        echo = {"method": request.method, "path": request.path, "query": request.query,
                "body": request.body.decode(), "n": self.handled, "id": request.request_id,
                "agent": request.headers.get("user-agent")}  # fmt: skip
        return Response(200, orjson.dumps(echo))


AUTH = {"Authorization": "Basic dG95OnNlY3JldA==", "User-Agent": "Toy/1"}


def test_requests_parsed_numbered_counted_and_answered_with_base_headers():
    app = ToyApp()
    status, headers, body = call(app, "POST", "/things", AUTH, b"a=1&b=2", b"x=1&x=2&y=")
    assert status == 200 and headers["content-type"] == "application/json"
    assert headers["x-request-id"] == "toy-1"
    assert orjson.loads(body) == {"method": "POST", "path": "/things", "body": "a=1&b=2", "n": 1,
                                  "query": [["x", "1"], ["x", "2"], ["y", ""]], "id": "toy-1",
                                  "agent": "Toy/1"}  # fmt: skip
    assert call(app, "GET", "/things", {})[0] == 401  # the gateway's refusal
    status, headers, body = call(app, "GET", "/missing", AUTH)
    assert (status, headers["content-type"], body) == (404, "application/xml", b"<error>no</error>")
    status, headers, body = call(app, "GET", "/refuse", AUTH)
    assert (status, body, headers["x-request-id"]) == (422, b"no such thing", "toy-4")
    assert app.requests_by_path == {"/things": 2, "/missing": 1, "/refuse": 1}


def test_faults_come_before_authentication():
    app = ToyApp(faults=FaultPlan(rate_limit_every=2, retry_after_seconds=7))
    assert call(app, "GET", "/a", {})[0] == 401
    status, headers, body = call(app, "GET", "/a", {})  # the 2nd: limited, unauthenticated
    assert (status, headers["retry-after"], body) == (429, "7", b"slow down")
    app.faults = FaultPlan(fail_first={"/b": 2}, server_error_every=5)
    assert [call(app, "GET", "/b", AUTH)[0] for _ in range(3)] == [503, 503, 200]
    assert [call(app, "GET", "/c", AUTH)[0] for _ in range(2)] == [200, 503]  # the 5th
    assert app.handled == 2


def test_rate_limits_per_path_and_in_all_over_any_second():
    clock = FakeClock(1000.0)
    app = ToyApp(faults=FaultPlan(rate_limits=RateLimits(3, 5)), clock=clock)

    def status(path: str) -> int:
        return call(app, "GET", path, AUTH)[0]

    assert [status("/a") for _ in range(4)] == [200, 200, 200, 429]  # 3 a second on a path
    clock.now = 1000.5
    assert [status("/b") for _ in range(3)] == [200, 200, 429]  # 5 in all: 3 + 2
    assert app.handled == 5  # a refused request is neither handled nor counted
    clock.now = 1000.999
    assert status("/a") == 429
    clock.now = 1001.0  # the first three left the window (now - 1, now]
    assert [status("/a") for _ in range(4)] == [200, 200, 200, 429]
    assert status("/b") == 429  # /b's two at 1000.5 and /a's three: five in the last second
    clock.now = 1001.5
    assert [status("/b") for _ in range(2)] == [200, 200]  # 3 of /a and 2 of /b: 5 in all
    status_code, headers, _ = call(app, "GET", "/b", AUTH)
    assert (status_code, headers["retry-after"]) == (429, "1")  # a slot frees at 1002.0


def test_idempotent_requests_replay_the_first_answer():
    app = ToyApp()
    first = call(app, "POST", "/pay", {**AUTH, "X-Idem": "k1"}, b"amount=5")
    again = call(app, "POST", "/pay", {**AUTH, "X-Idem": "k1"}, b"amount=5")
    assert first[2] == again[2] and app.handled == 1
    assert call(app, "POST", "/pay", {**AUTH, "X-Idem": "k1"}, b"amount=6")[0] == 400
    assert call(app, "POST", "/pay", {**AUTH, "X-Idem": "k2"}, b"amount=5")[2] != first[2]
    app.faults = FaultPlan(fail_first={"/pay": 1})  # a fault is not saved: the retry goes on
    assert call(app, "POST", "/pay", {**AUTH, "X-Idem": "k3"})[0] == 503
    assert call(app, "POST", "/pay", {**AUTH, "X-Idem": "k3"})[0] == 200
    assert app.handled == 3


def test_page_cache_renders_once_per_version_within_its_bytes():
    cache = PageCache(max_bytes=10)
    renders = []

    def render(text: bytes):
        return lambda: renders.append(text) or text

    assert cache.get_or_render(("/p", b""), 0, render(b"abcd")) == b"abcd"
    assert cache.get_or_render(("/p", b""), 0, render(b"zzzz")) == b"abcd"
    assert cache.get_or_render(("/p", b""), 1, render(b"efgh")) == b"efgh"  # data changed
    cache.get_or_render(("/q", b"x=1"), 1, render(b"123456"))
    cache.get_or_render(("/r", b""), 1, render(b"789"))  # 13 bytes: /p, the oldest, goes
    assert cache.size == 9 and renders == [b"abcd", b"efgh", b"123456", b"789"]
    assert cache.get_or_render(("/p", b""), 1, render(b"efgh")) == b"efgh"
    assert len(renders) == 5 and cache.hits == 1


def test_malformed_variants_are_the_gateways():
    with pytest.raises(ValueError, match="unknown malformed variant"):
        FaultPlan().malform(["x1"], "amount_as_string")


def test_served_on_loopback_by_uvicorn():
    with serve_app(ToyApp()) as server:
        answer = httpx.get(server.url + "/hello?x=1", headers=AUTH)
        assert answer.status_code == 200 and answer.json()["query"] == [["x", "1"]]
        assert server.requests_by_path["/hello"] == 1
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/hello", headers=AUTH)


def test_the_worked_example_in_the_kit_docstring_runs():
    """The example R3/R4 start from (sandbox/kit/__init__.py) is code that works."""
    import textwrap

    import sandbox.kit

    doc = sandbox.kit.__doc__
    block = doc.split("served on loopback::\n", 1)[1].split("\n\nTests drive", 1)[0]
    namespace: dict = {}
    exec(compile(textwrap.dedent(block), "kit-example", "exec"), namespace)
    app = namespace["ToyApp"](namespace["store"])
    auth = {"Authorization": "Basic cHViOnByaXY="}
    status, headers, body = call(app, "GET", "/merchants/m1/plans", {})
    assert (status, headers["content-type"]) == (401, "application/xml") and b"failed" in body
    for _ in range(2):
        status, headers, body = call(app, "GET", "/merchants/m1/plans", auth)
        assert (status, body) == (200, b"<plans type='array'/>")
    assert app.pages.hits == 1 and headers["x-request-id"] == "req_00000000003"
    assert call(app, "GET", "/nowhere", auth)[0] == 404
