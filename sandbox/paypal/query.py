"""Reading a PayPal request's query as PayPal does: the first value of a parameter, integers
in their range and RFC 3339 date-times, each refusal PayPal's INVALID_REQUEST."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from sandbox.paypal.wire import Request, Response, invalid_request


def param(req: Request, name: str) -> str | None:
    """The first value of a query parameter (any request with `query` pairs: ours or the
    sandbox kit's)."""
    return next((v for k, v in req.query if k == name), None)


def reply(doc: Any, status: int = 200) -> Response:
    return Response(status, orjson.dumps(doc))


def int_param(req: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = param(req, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise invalid_request(name, raw, "INVALID_PARAMETER_VALUE", f"{name} must be {lo} to {hi}.")
    return value


def time_param(req: Request, name: str) -> int:
    raw = param(req, name)
    if raw is None:
        raise invalid_request(name, None, "MISSING_REQUIRED_PARAMETER", f"{name} is required.")
    try:
        text = raw.replace("Z", "+00:00")
        if text[-5] in "+-" and text[-3] != ":":
            text = text[:-2] + ":" + text[-2:]
        return int(datetime.fromisoformat(text).timestamp())
    except (ValueError, IndexError):
        problem = "Date is not RFC 3339."
        raise invalid_request(name, raw, "INVALID_PARAMETER_SYNTAX", problem) from None
