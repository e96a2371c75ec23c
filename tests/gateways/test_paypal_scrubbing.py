"""Against a PayPal stand-in that echoes the credentials it was sent (the token request's
`Basic base64(id:secret)`, every bearer token, in bodies and debug ids), no error or log line
of the PayPal reader holds any run of 6 characters of the secret, of the Basic credential, or
of any token, the ones refused and renewed included. Logs: every record at INFO and above
(httpcore's DEBUG trace prints raw response headers, whatever a server echoes in them: below
the level the pipeline logs at)."""

from __future__ import annotations

import base64
import itertools
import logging
import secrets
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest

from gateways.errors import GatewayAuthError, GatewayError, GatewayServerError
from gateways.paypal.reader import PayPalReader
from sandbox.paypal.testing import CLIENT_ID, sandbox_account

RUN = 6
SECRET = "EKq7Zr2vXw9PmT4nB8sLc3Hd6Jf0Ya5G"  # a secret as PayPal issues them, long and random
BASIC = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()


class Echo(BaseHTTPRequestHandler):
    issued: list[str] = []
    refuse_client = False
    _n = itertools.count()

    def _send(self, status: int, doc: dict, debug_id: str) -> None:
        body = orjson.dumps(doc)
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.send_header("paypal-debug-id", debug_id)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # the token request
        self.rfile.read(int(self.headers.get("content-length") or 0))
        auth = self.headers.get("Authorization", "")
        if self.refuse_client:
            doc = {"error": "invalid_client", "error_description": f"refused: {auth}"}
            return self._send(401, doc, auth.removeprefix("Basic "))
        token = f"A21AA{next(self._n)}{secrets.token_urlsafe(24)}"
        Echo.issued.append(token)
        self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 32_400},
                   "t0")  # fmt: skip

    def do_GET(self) -> None:  # every call: its token refused, and quoted
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        doc = {"error": "invalid_token", "error_description": f"Token {token} is not valid"}
        self._send(401, doc, token[:20])

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[str]:
    Echo.issued, Echo.refuse_client = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pieces(text: str) -> list[str]:
    """Every run of RUN characters of a credential found in `text`."""
    found = set()
    for secret in (SECRET, BASIC, *Echo.issued):
        found |= {secret[i : i + RUN] for i in range(len(secret) - RUN + 1)} & {
            text[i : i + RUN] for i in range(len(text) - RUN + 1)
        }
    return sorted(found)


def every_text(exc: BaseException) -> str:
    return "\n".join(
        [str(exc), repr(exc), *map(str, exc.args), *traceback.format_exception(exc)]
        + [f"{k}={v}" for k, v in vars(exc).items()]
    )


@pytest.mark.parametrize("entity", ["plans", "disputes", "transactions"])  # SDK, httpx, SDK http
def test_a_refused_token_appears_in_no_error_or_log(echo, caplog, entity):
    caplog.set_level(logging.INFO)
    reader = PayPalReader(sandbox_account(echo, secret=SECRET), sleep=lambda s: None, max_retries=2)
    with reader, pytest.raises(GatewayServerError) as raised:
        list(reader.read(entity))
    assert len(Echo.issued) >= 2  # refused, renewed, refused again
    text = every_text(raised.value) + "\n".join(r.getMessage() for r in caplog.records)
    assert "invalid_token" in text and "gave up" in text  # it still says what failed
    assert pieces(text) == []


def test_the_token_requests_basic_credential_appears_in_no_error_or_log(echo, caplog):
    caplog.set_level(logging.INFO)
    Echo.refuse_client = True
    reader = PayPalReader(sandbox_account(echo, secret=SECRET), sleep=lambda s: None, max_retries=2)
    with reader, pytest.raises(GatewayAuthError) as raised:
        list(reader.read("plans"))
    text = every_text(raised.value) + "\n".join(r.getMessage() for r in caplog.records)
    assert "invalid_client" in text and "refused: Basic" in text
    assert pieces(text) == []


def test_the_check_itself_finds_pieces():
    Echo.issued = ["A21AAtokentokentoken"]
    assert pieces(f"x {BASIC[4:12]} y") and pieces("oken A21AAtoke") and pieces(SECRET)
    assert isinstance(GatewayServerError("a", "b", "c"), GatewayError)
