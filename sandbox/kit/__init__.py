"""The shared sandbox kit: the server plumbing every gateway sandbox runs on.

Nothing here knows a gateway. A gateway's sandbox (`sandbox/<gateway>/`) brings its wire
format: how it authenticates, what its errors and headers look like, its routes. The kit
brings the rest, the same for every gateway:

- `http.Request(method, path, query, headers, body, request_id, number, query_string)` and
  `http.Response(status, body, content_type, headers)`: plain values (headers lower case,
  `query` decoded pairs in order; `query_string` as sent, for a gateway with its own syntax).
  `http.Refusal(response)`: raise it anywhere in a handler to answer `response`.
- `app.KitApp`: the raw ASGI app. Per request, in this order: read the body; number it
  (`request_id_for(number)`); count `requests_by_path`; the fault plan (`delay_seconds`,
  `rate_limits`, `fail_first`, `rate_limit_every`, `server_error_every`) BEFORE the gateway
  sees it; `authenticate(request) -> Response | None` (a Response is the refusal); replay or
  save by idempotency key when `idempotency_header` is set (`idempotency_scope`,
  `idempotency_mismatch`, `replayed` shape it); `handle(request) -> Response`. Every answer
  gets `base_headers(request)`. `rate_key(request)` is what the per-path limit counts by (the
  path unless the gateway groups paths into endpoints). The error shapes come from the
  gateway's `Wire`: `rate_limited(retry_after)`, `server_error(request)`, `not_found(request)`.
- `faults.FaultPlan` (plain data, changeable while serving; `malform(ids, variant)` with the
  gateway's `variants`, `delay_event(ids, requests)` / `hidden_events()`, `fault_for(path)`)
  and `faults.RateLimits(per_path_per_second, total_per_second)`: sliding one-second windows
  on the app's `clock` (a fake one in tests); past either, `Wire.rate_limited` answers (429).
- `idempotency.IdempotencyKeys` (first answer per (scope, key) replayed; another request
  under the same key is `IdempotencyMismatch`); `pages.PageCache` (`get_or_render((path,
  query_string), version, render)`, bounded in bytes) for a gateway whose pages are costly
  to render: pass the store's change count as `version`.
- `server.SandboxServer(app, host, port)` with `.url`, `.start()`, `.stop()`, `faults`,
  `requests_by_path`, a context manager; `server.serve_app(app, host="127.0.0.1", port=0)`
  starts one and returns it once it accepts connections.

A minimal gateway app (Basic auth, XML errors), served on loopback::

    from sandbox.kit.app import KitApp
    from sandbox.kit.faults import FaultPlan, RateLimits
    from sandbox.kit.http import Request, Response
    from sandbox.kit.server import serve_app

    def xml_error(status: int, message: str) -> Response:
        body = f"<api-error-response><message>{message}</message></api-error-response>"
        return Response(status, body.encode(), "application/xml")

    class ToyWire:
        def rate_limited(self, retry_after: int) -> Response:
            answer = xml_error(429, "Too Many Requests")
            return answer.with_headers(("retry-after", str(retry_after)))

        def server_error(self, request: Request) -> Response:
            return xml_error(500, "Internal Server Error")

        def not_found(self, request: Request) -> Response:
            return xml_error(404, "Not Found")

    class ToyApp(KitApp):
        def __init__(self, store, **kwargs):
            super().__init__(ToyWire(), **kwargs)
            self.store = store

        def base_headers(self, request: Request) -> list[tuple[str, str]]:
            return [("x-request-id", request.request_id)]

        def authenticate(self, request: Request) -> Response | None:
            if request.headers.get("authorization") != "Basic cHViOnByaXY=":  # pub:priv
                return xml_error(401, "Authentication failed")
            return None

        def handle(self, request: Request) -> Response:
            if request.method == "GET" and request.path == "/merchants/m1/plans":
                body = self.pages.get_or_render(
                    (request.path, request.query_string), self.store["version"],
                    lambda: self.store["plans_xml"],
                )
                return Response(200, body, "application/xml")
            return self.wire.not_found(request)

    store = {"version": 0, "plans_xml": b"<plans type='array'/>"}
    app = ToyApp(store, faults=FaultPlan(rate_limits=RateLimits(25, 100)))
    with serve_app(app) as server:
        ...  # point the gateway's SDK at server.url; server.faults = FaultPlan(...) any time

Tests drive a `KitApp` in-process with a fake clock (`tests/sandbox/asgi_call.py`) to count
rate limits exactly, and over loopback with the real SDK for everything else.
"""
