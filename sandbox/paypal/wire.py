"""PayPal's wire: the kit's plain requests and answers, and PayPal's error bodies
(`name`, `message`, `debug_id`, `details`, `links`; the OAuth endpoint's own
`error`/`error_description`)."""

from __future__ import annotations

import orjson

from sandbox.kit.http import Request, Response

__all__ = ["PayPalError", "Request", "Response"]


class PayPalError(Exception):
    def __init__(self, status: int, name: str, message: str, details=None, headers=None):
        super().__init__(message)
        self.status, self.name, self.message = status, name, message
        self.details = details or []
        self.headers = headers or []

    def response(self, debug_id: str) -> Response:
        doc = {"name": self.name, "message": self.message, "debug_id": debug_id}
        if self.details:
            doc["details"] = self.details
        doc["links"] = [
            {
                "href": f"https://developer.paypal.com/docs/api/overview/#error-{self.name}",
                "rel": "information_link",
            }
        ]
        return Response(self.status, orjson.dumps(doc), headers=self.headers)


def invalid_request(field_name: str, value: str | None, issue: str, description: str):
    return PayPalError(
        400,
        "INVALID_REQUEST",
        "Request is not well-formed, syntactically incorrect, or violates schema.",
        [{"field": field_name, "value": value or "", "location": "query", "issue": issue,
          "description": description}],
    )  # fmt: skip


def not_found(what: str) -> PayPalError:
    return PayPalError(
        404,
        "RESOURCE_NOT_FOUND",
        "The specified resource does not exist.",
        [{"issue": "INVALID_RESOURCE_ID",
          "description": f"Specified resource ID {what} does not exist."}],
    )  # fmt: skip


def rate_limited(retry_after: int) -> PayPalError:
    return PayPalError(
        429,
        "RATE_LIMIT_REACHED",
        "Too many requests. Blocked due to rate limiting.",
        headers=[("retry-after", str(retry_after))],
    )


def server_error() -> PayPalError:
    return PayPalError(500, "INTERNAL_SERVER_ERROR", "An internal server error occurred.")


def resultset_too_large() -> PayPalError:
    return PayPalError(
        400,
        "RESULTSET_TOO_LARGE",
        "Result set size is greater than the maximum limit. "
        "Change the filter criteria and try again.",
    )


def oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, orjson.dumps({"error": error, "error_description": description}))
