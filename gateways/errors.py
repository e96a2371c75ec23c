"""Errors every gateway module raises, whatever its SDK: callers catch these, never SDK types.

A message names the account (its label), the entity or path, and the gateway's own words;
it never contains a credential.
"""

from __future__ import annotations


class GatewayError(Exception):
    """A gateway call that failed for good (after any retries)."""

    def __init__(
        self,
        account_label: str,
        what: str,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        code: str | None = None,
    ) -> None:
        self.account_label = account_label
        self.what = what
        self.status = status
        self.request_id = request_id
        self.code = code  # the gateway's error code (Stripe: `resource_missing`), if any
        self.message = message
        status_text = f"HTTP {status}" if status is not None else "no response"
        suffix = f" (request {request_id})" if request_id else ""
        super().__init__(f"{account_label}, {what}: {status_text}: {message}{suffix}")

    def as_unsupported(self) -> GatewayUnsupportedError:
        """The same answer, read as: this server does not offer the endpoint."""
        return GatewayUnsupportedError(
            self.account_label, self.what, self.message,
            status=self.status, request_id=self.request_id, code=self.code,
        )  # fmt: skip


class GatewayAuthError(GatewayError):
    """401: the key is wrong, expired or revoked."""


class GatewayPermissionError(GatewayError):
    """403: the key is valid but may not read or do this (a restricted key)."""


class GatewayNotFoundError(GatewayError):
    """404: the path or object does not exist for this account."""


class GatewayUnsupportedError(GatewayNotFoundError):
    """404 for the path itself, not an object: this server does not offer the endpoint (an
    older API version, as Stripe answers `Unrecognized request URL`)."""


class GatewayRateLimitError(GatewayError):
    """429 still answered after every allowed retry."""


class GatewayServerError(GatewayError):
    """5xx/409 after every allowed retry, or an answer that is not the expected JSON."""


class GatewayConnectionError(GatewayError):
    """No HTTP answer at all (refused, reset, timed out) after every allowed retry."""


class GatewayRequestError(GatewayError):
    """Any other 4xx: the request itself is wrong (a bad parameter)."""


def error_for_status(status: int) -> type[GatewayError]:
    if status == 401:
        return GatewayAuthError
    if status == 403:
        return GatewayPermissionError
    if status == 404:
        return GatewayNotFoundError
    if status == 429:
        return GatewayRateLimitError
    if status >= 500 or status == 409:
        return GatewayServerError
    return GatewayRequestError
