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


def raw_payloads(path, entity: str, gateway: str = "stripe") -> dict[tuple[str, str], dict]:
    """(account_id, id) -> payload of raw_<gateway>.<entity>."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(f"select account_id, id, payload::varchar from raw_{gateway}.{entity}")
        return {(a, i): orjson.loads(p) for a, i, p in rows.fetchall()}
    finally:
        con.close()


def live_and_tombstoned(path, store: StripeStore, entity: str) -> tuple[dict, set[str]]:
    """(landed rows that are not tombstones, ids landed as tombstones), checking on the way
    that every tombstone is of an object the store deleted."""
    landed = raw_payloads(path, entity)
    live = {k: v for k, v in landed.items() if v.get("deleted") is not True}
    stones = {i for (_, i) in set(landed) - set(live)}
    assert stones <= deleted_ids(store, entity), stones - deleted_ids(store, entity)
    return live, stones


def store_objects(store: StripeStore, entity: str) -> dict[str, dict]:
    """What must land for `entity`: what the sandbox serves, read from the store itself, by
    id (nothing for an entity this sandbox does not serve yet), with a charge's card cut to
    the five fields the warehouse keeps."""
    if entity not in store.tables:
        return {}
    table = store.tables[entity]
    gone = deleted_ids(store, entity)
    objects = {i: orjson.loads(b) for i, b in zip(table.ids, table.blobs, strict=True)}
    return {i: card_cut(whole(store, entity, o)) for i, o in objects.items() if i not in gone}


EMBEDDED_FIELDS = {"invoices": "lines", "credit_notes": "lines", "subscriptions": "items"}


def whole(store: StripeStore, entity: str, obj: dict) -> dict:
    """The object with its embedded list complete, from the store's own child lists (the
    server cuts it at 10 with has_more)."""
    field = EMBEDDED_FIELDS.get(entity)
    embedded = obj.get(field) if field else None
    if not isinstance(embedded, dict) or not embedded.get("has_more"):
        return obj
    sublists = getattr(store, "sublists", None) or {"invoices": store.invoice_lines}
    children = sublists[entity][obj["id"]]
    data = [orjson.loads(b) for b in children.blobs]
    return {**obj, field: {**embedded, "data": data, "has_more": False}}


def deleted_ids(store: StripeStore, entity: str) -> set[str]:
    """Ids the store keeps (their events refer to them) but no longer lists: deleted ones
    (`deleted` per entity, a retrieve answering a stub or nothing)."""
    if entity not in store.tables:
        return set()
    deleted = getattr(store, "deleted", None)
    gone = set(deleted.get(entity, ())) if isinstance(deleted, dict) else set()
    for object_id in store.tables[entity].ids:
        blob = store.retrieve(entity, object_id)
        if blob is None or b'"deleted":true' in blob:
            gone.add(object_id)
    return gone


# What the warehouse keeps of payment_method_details.card, written out per entity.
KEPT_CARD_FIELDS = {
    "charge": ("brand", "last4", "exp_month", "exp_year", "country"),
    "dispute": ("brand", "case_type", "network_reason_code"),  # not `network`
}


def card_cut(value):
    """The sandbox's charges and disputes carry a card under payment_method_details.card
    (SEPA debits a fingerprint under .sepa_debit), wherever they sit (an event's snapshot, an
    older payment intent's `charges`); an older charge may carry a card object as `source`."""
    if isinstance(value, list):
        return [card_cut(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: card_cut(v) for k, v in value.items()}
    kind = value.get("object")
    keep = KEPT_CARD_FIELDS.get(kind) if isinstance(kind, str) else None
    details = out.get("payment_method_details")
    if keep is not None and isinstance(details, dict):
        # other payment methods keep their details but lose their fingerprint (sepa_debit)
        details = {
            k: {f: x for f, x in v.items() if f != "fingerprint"} if isinstance(v, dict) else v
            for k, v in details.items()
        }
        if isinstance(details.get("card"), dict):
            card = details["card"]
            details["card"] = {k: card[k] for k in keep if k in card}
        out["payment_method_details"] = details
    source = out.get("source")
    if isinstance(source, dict) and source.get("object") == "card":
        out["source"] = {k: source[k] for k in KEPT_CARD_FIELDS["charge"] if k in source}
    return out
