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
    """What must land for `entity`: what the sandbox serves, read from the store itself, by
    id (nothing for an entity this sandbox does not serve yet), with a charge's card cut to
    the five fields the warehouse keeps."""
    if entity not in store.tables:
        return {}
    table = store.tables[entity]
    objects = {i: orjson.loads(b) for i, b in zip(table.ids, table.blobs, strict=True)}
    return {i: card_cut(o) for i, o in objects.items()}


# What the warehouse keeps of payment_method_details.card, written out per entity.
KEPT_CARD_FIELDS = {
    "charge": ("brand", "last4", "exp_month", "exp_year", "country"),
    "dispute": ("brand", "case_type", "network_reason_code"),  # not `network`
}


def card_cut(obj: dict) -> dict:
    """The sandbox's charges and disputes carry a card under payment_method_details.card;
    the events' snapshots carry such objects."""
    if obj.get("object") == "event":
        return {**obj, "data": {**obj["data"], "object": card_cut(obj["data"]["object"])}}
    details = obj.get("payment_method_details")
    keep = KEPT_CARD_FIELDS.get(obj.get("object"))
    if keep is None or not isinstance(details, dict) or "card" not in details:
        return obj
    card = details["card"]
    kept = {k: card[k] for k in keep if k in card}
    return {**obj, "payment_method_details": {**details, "card": kept}}
