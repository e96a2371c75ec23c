"""Against a server that echoes the API key back (whole, cut, glued) in its error bodies and
headers, no error message, exception text, traceback or log line the gateway or the extraction
produces contains any part of the key: no run of 6 or more of its characters (Stripe itself
shows at most a key's last 4)."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest

from gateways.errors import (
    GatewayAuthError,
    GatewayError,
    GatewayPermissionError,
    GatewayRequestError,
    GatewayServerError,
)
from gateways.stripe import StripeGateway
from pipelines.extract.stripe import extract_stripe_entity
from tests.gateways.conftest import make_account

KEY = "sk_test_9fQ2xV7pLm4Zr8Tb1Nc6Wd3Ks5Hj0YgUa"
SECRET = KEY.removeprefix("sk_test_")
RUN = 6


def pieces_of_the_key(text: str) -> list[str]:
    """Every run of RUN characters of the key found in `text` (the public 'sk_test_' prefix
    alone does not count)."""
    found = {KEY[i : i + RUN] for i in range(len(KEY) - RUN + 1) if KEY[i : i + RUN] in text}
    return sorted(p for p in found if not "sk_test_".startswith(p) and p not in "sk_test_")


def json_error(message: str, kind: str = "invalid_request_error") -> bytes:
    return orjson.dumps({"error": {"type": kind, "message": message}})


class EchoHandler(BaseHTTPRequestHandler):
    """Each path misbehaves its own way, always with the key the client sent."""

    def do_GET(self) -> None:
        key = self.headers.get("Authorization", "").removeprefix("Bearer ")
        path = self.path.split("?")[0]
        headers = {"Request-Id": f"req_{key}", "X-Echo-Key": key, "WWW-Authenticate": key}
        if path == "/v1/events":  # the extraction's first read: an empty feed
            status, body = 200, orjson.dumps({"object": "list", "data": [], "has_more": False})
            headers = {}
        elif path == "/v1/customers":
            status, body = 401, json_error(f"Invalid API Key provided: {key}")
        elif path == "/v1/charges":  # a cut key, and a request id made of its middle
            status, body = 403, json_error(f"The key ending in {key[-14:]} may not read charges")
            headers["Request-Id"] = f"req_{key[10:30]}"
        elif path == "/v1/refunds":  # not JSON: a proxy's page quoting the header
            status, body = 400, f"<html>bad request: Authorization: Bearer {key}</html>".encode()
        elif path == "/v1/disputes":  # always 500: retried, then given up
            status, body = 500, json_error(f"internal error for {key.upper()}{key}", "api_error")
        elif path == "/v1/payment_intents":  # 200 whose body is not JSON, retried then failed
            status, body = 200, f"Welcome {key}! <html>".encode()
        else:
            status, body = 404, json_error(f"Unrecognized request URL for {key[:20]}")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def gateway_for(url: str) -> StripeGateway:
    return StripeGateway(make_account(url, key=KEY), max_retries=2, sleep=lambda _: None)


def every_text(exc: BaseException) -> str:
    return "\n".join(
        [str(exc), repr(exc), *map(str, exc.args), *traceback.format_exception(exc)]
        + [f"{k}={v}" for k, v in vars(exc).items()]
    )


CASES = [
    ("customers", GatewayAuthError, "HTTP 401"),
    ("charges", GatewayPermissionError, "HTTP 403"),
    ("refunds", GatewayRequestError, "HTTP 400"),
    ("disputes", GatewayServerError, "gave up after 3 attempts"),
    ("payment_intents", GatewayServerError, "not JSON"),
]


@pytest.mark.parametrize(("entity", "error", "says"), CASES)
def test_gateway_errors_hold_no_part_of_the_key(echo_server, caplog, capsys, entity, error, says):
    caplog.set_level(logging.DEBUG)
    with gateway_for(echo_server) as gateway, pytest.raises(error) as raised:
        list(gateway.read(entity))
    text = every_text(raised.value)
    assert says in text and "stripe account 'main'" in text  # the error still says what failed
    out = capsys.readouterr()
    logged = "\n".join(r.getMessage() for r in caplog.records) + out.out + out.err
    assert pieces_of_the_key(text + logged) == []


@pytest.mark.parametrize(("entity", "error", "says"), CASES)
def test_extraction_errors_and_logs_hold_no_part_of_the_key(
    echo_server, caplog, capsys, tmp_path, entity, error, says
):
    caplog.set_level(logging.DEBUG)
    lines: list[str] = []
    with pytest.raises(GatewayError) as raised:
        extract_stripe_entity(
            make_account(echo_server, key=KEY),
            entity,
            tmp_path / "w.duckdb",
            log=lines.append,
            gateway=gateway_for(echo_server),
        )
    assert isinstance(raised.value, error)
    out = capsys.readouterr()
    logged = "\n".join([*lines, *(r.getMessage() for r in caplog.records), out.out, out.err])
    assert pieces_of_the_key(every_text(raised.value) + logged) == []


def test_the_check_itself_finds_pieces_of_the_key():
    assert pieces_of_the_key(f"key {KEY[-14:]} denied") != []
    assert pieces_of_the_key(f"req_{KEY[10:30]}") != []
    assert pieces_of_the_key("sk_test_**** and sk_test_ and the last four " + KEY[-4:]) == []
    assert SECRET not in pieces_of_the_key("nothing here")
