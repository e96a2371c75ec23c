"""Stripe-shaped error answers: status, body and the extra headers Stripe sends with them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import orjson

NO_KEY_MESSAGE = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)
RATE_LIMIT_MESSAGE = (
    "Too many requests hit the API too quickly. We recommend an exponential backoff of your "
    "requests."
)
API_ERROR_MESSAGE = "An unknown error occurred"


@dataclass
class StripeError(Exception):
    """Raised inside a handler; the server turns it into Stripe's error response."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    def body(self, request_id: str) -> bytes:
        error: dict[str, str] = {}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        error["message"] = self.message
        if self.param:
            error["param"] = self.param
        if self.status not in (401, 403, 429) and self.type != "api_error":
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{request_id}?t={int(time.time())}"
            )
        error["type"] = self.type
        return orjson.dumps({"error": error})


def mask_key(key: str, visible: int = 4) -> str:
    """Stripe's masking: the `sk_test_` prefix, one `*` per hidden character, the tail shown."""
    parts = key.split("_")
    prefix = "_".join(parts[:2]) + "_" if len(parts) >= 3 else ""
    rest = key[len(prefix) :]
    shown = rest[-visible:] if len(rest) > visible else ""
    return prefix + "*" * (len(rest) - len(shown)) + shown


def no_such(object_name: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(
        404, f"No such {object_name}: '{object_id}'", code="resource_missing", param=param
    )


def invalid_key(key: str) -> StripeError:
    return StripeError(401, f"Invalid API Key provided: {mask_key(key)}")


def no_key() -> StripeError:
    return StripeError(401, NO_KEY_MESSAGE)


def permission_denied(key: str, account_id: str, permission: str) -> StripeError:
    return StripeError(
        403,
        f"The provided key '{mask_key(key, 6)}' does not have the required permissions for "
        f"this endpoint on account '{account_id}'. Having the '{permission}' permission would "
        "allow this request to continue.",
    )


def unrecognized_url(method: str, path: str) -> StripeError:
    return StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we "
        "can help at https://support.stripe.com/.",
    )


def invalid_integer(param: str, raw: str) -> StripeError:
    return StripeError(
        400, f"Invalid integer: {raw}", code="parameter_invalid_integer", param=param
    )


def unknown_parameter(name: str) -> StripeError:
    return StripeError(
        400, f"Received unknown parameter: {name}", code="parameter_unknown", param=name
    )


def cannot_expand(path: str, hint: str | None = None) -> StripeError:
    message = f"This property cannot be expanded ({path})."
    if hint:
        message += f" You may want to try expanding '{hint}' instead."
    return StripeError(400, message)


def rate_limited(retry_after: int, should_retry: bool | None = None) -> StripeError:
    headers = [(b"retry-after", str(retry_after).encode())]
    if should_retry is not None:
        headers.append((b"stripe-should-retry", b"true" if should_retry else b"false"))
    return StripeError(429, RATE_LIMIT_MESSAGE, code="rate_limit", headers=headers)


def api_error() -> StripeError:
    return StripeError(
        500, API_ERROR_MESSAGE, type="api_error", headers=[(b"stripe-should-retry", b"true")]
    )


def idempotency_mismatch(key: str) -> StripeError:
    return StripeError(
        400,
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
        type="idempotency_error",
    )
