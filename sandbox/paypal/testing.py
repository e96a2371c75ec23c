"""What tests and benches need to point the real SDK at this sandbox: the store of a share,
and a PayPal account with the sandbox's client credentials."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sandbox.business import generate
from sandbox.paypal.share import paypal_share
from sandbox.paypal.store import PayPalStore

CLIENT_ID, CLIENT_SECRET = "client-id", "client-secret"


def paypal_store(
    seed: int = 42, scale: float = 0.2, account: str = "sandbox", **settings: Any
) -> tuple[Any, PayPalStore]:
    """(PayPal's share of the business on `account`, the store rendered from it)."""
    share = paypal_share(generate(seed=seed, scale=scale), account)
    settings.setdefault("clients", {CLIENT_ID: CLIENT_SECRET})
    return share, PayPalStore.from_business(share, **settings)


def sandbox_account(api_base: str, name: str = "sandbox", secret: str = CLIENT_SECRET):
    from ledgerdesk.config import GatewayAccount

    return GatewayAccount(
        "paypal",
        name,
        api_base=api_base,
        credentials={"client_id": "PAYPAL_CLIENT_ID", "client_secret": "PAYPAL_CLIENT_SECRET"},
        secrets={"client_id": CLIENT_ID, "client_secret": secret},
        allow_insecure_http=True,
    )


@contextmanager
def authorized_client(store: PayPalStore) -> Iterator[tuple[Any, dict]]:
    """The store served on loopback and an httpx client holding a token fetched from it, as
    a plain HTTP caller (no SDK) gets one: (client, the token answer)."""
    import httpx

    from sandbox.paypal.server import serve

    with serve(store) as server, httpx.Client(base_url=server.url) as http:
        token = http.post(
            "/v1/oauth2/token", auth=(CLIENT_ID, CLIENT_SECRET),
            data={"grant_type": "client_credentials"},
        ).json()  # fmt: skip
        http.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield http, token
