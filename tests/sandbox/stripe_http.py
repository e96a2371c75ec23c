"""Raw HTTP against a running sandbox: status and parsed body, errors included."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from sandbox.stripe.app import DEFAULT_API_KEY


def call(
    url: str, path: str, method: str = "GET", key: str = DEFAULT_API_KEY, form: str | None = None
) -> tuple[int, Any]:
    """`form`: a POST body, form-encoded (`charge=ch_1&amount=1`)."""
    request = urllib.request.Request(
        url + path,
        data=None if form is None else form.encode(),
        method=method,
        headers={"Authorization": f"Bearer {key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def every(url: str, path: str) -> list[dict]:
    """Every object of a list endpoint, following `starting_after`."""
    out: list[dict] = []
    joiner = "&" if "?" in path else "?"
    after = ""
    while True:
        status, page = call(url, f"{path}{joiner}limit=100{after}")
        assert status == 200, page
        out += page["data"]
        if not page["has_more"]:
            return out
        after = f"&starting_after={page['data'][-1]['id']}"
