"""A real Stripe sandbox over loopback (small scale) and helpers to read the raw tables."""

from __future__ import annotations

import duckdb
import orjson
import pytest

from ledgerdesk.config import GatewayAccount
from sandbox.stripe.store import StripeStore

SANDBOX_KEY = "sk_test_ledgerdesk_sandbox"


def account_for(server, *, key: str = SANDBOX_KEY, lookback_days: int = 3) -> GatewayAccount:
    return GatewayAccount(
        gateway="stripe",
        name="main",
        api_key_env="TEST_STRIPE_KEY",
        api_key=key,
        default_currency="USD",
        api_base=server.url,
        lookback_days=lookback_days,
    )


@pytest.fixture
def account(sandbox):
    return account_for(sandbox)


def raw_payloads(path, entity: str) -> dict[tuple[str, str], dict]:
    """(account_id, id) -> payload of raw_stripe.<entity>."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(f"select account_id, id, payload::varchar from raw_stripe.{entity}")
        return {(a, i): orjson.loads(p) for a, i, p in rows.fetchall()}
    finally:
        con.close()


def store_objects(store: StripeStore, entity: str) -> dict[str, dict]:
    """What the sandbox serves for `entity`, read from the store itself, by id (nothing for
    an entity this sandbox does not serve yet)."""
    if entity not in store.tables:
        return {}
    table = store.tables[entity]
    return {i: orjson.loads(b) for i, b in zip(table.ids, table.blobs, strict=True)}
