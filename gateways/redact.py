"""Keep credentials out of every text a gateway module produces (messages, request ids).

A server may echo the key back whole, cut, or glued to other characters (a proxy's error page,
a request id built from the Authorization header). Every run of `MIN_RUN` or more characters
that is a piece of the key is replaced, so no part long enough to matter survives: Stripe
itself shows at most the last 4 characters of a key.
"""

from __future__ import annotations

from collections.abc import Iterable

MASK = "[key]"
MIN_RUN = 6


def redact(text: str, secret: str | None, min_run: int = MIN_RUN) -> str:
    """`text` with every run of >= min_run characters found in `secret` replaced by MASK."""
    if not secret or not text:
        return text
    grams = {secret[i : i + min_run] for i in range(len(secret) - min_run + 1)}
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i : i + min_run] in grams:
            end = i + min_run
            while end < len(text) and text[i : end + 1] in secret:
                end += 1
            out.append(MASK)
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def redact_all(text: str, secrets: Iterable[str | None], min_run: int = MIN_RUN) -> str:
    """`text` with every secret of `secrets` redacted (a key, a token, a Basic credential)."""
    for secret in secrets:
        text = redact(text, secret, min_run)
    return text
