"""One OAuth client-credentials token per account: fetched once through the SDK's own OAuth
controller, cached, renewed before it expires (a margin of a tenth of its life, at most five
minutes), and shared by the SDK's calls and the plain-HTTP ones."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

MAX_MARGIN = 300.0
KEPT_FOR_SCRUBBING = 16  # tokens remembered after they were renewed or refused


class TokenCache:
    def __init__(self, fetch: Callable[[], tuple[str, float]], clock: Callable[[], float]):
        """`fetch()` -> (access token, expires_in seconds), retried by the caller's loop."""
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self.fetches = 0
        self._held: tuple[str, ...] = ()  # replaced whole: read without the lock

    def current(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                token, expires_in = self._fetch()
                self.fetches += 1
                margin = min(MAX_MARGIN, expires_in / 10)
                self._token, self._renew_at = token, self._clock() + expires_in - margin
                self._held = (*self._held[1 - KEPT_FOR_SCRUBBING :], token)
            return self._token

    def held(self) -> tuple[str, ...]:
        """Every token this cache has held lately, the current one, renewed ones and refused
        ones alike: none may appear in a message (a refused token is still a credential).
        No lock: the scrubbing of the token request's own answer runs under it."""
        return self._held

    def invalidate(self, token: str) -> None:
        """The gateway refused `token` (401 invalid_token): the next call fetches a new one."""
        with self._lock:
            if self._token == token:
                self._token = None

    def sdk_provider(self) -> Callable[[Any, Any], Any]:
        """An `o_auth_token_provider` for the SDK: its calls use this cache's token."""
        from paypalserversdk.models.o_auth_token import OAuthToken

        def provide(_last: Any, _auth: Any) -> OAuthToken:
            token = OAuthToken(access_token=self.current(), token_type="Bearer")
            # The SDK asks again once this (wall-clock) expiry passes, so within a second:
            # the cache alone decides when the token is renewed.
            token.expiry = int(time.time()) + 1
            return token

        return provide
