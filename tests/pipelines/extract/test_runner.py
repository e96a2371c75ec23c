"""The one runner over the seam, with a gateway that is not Stripe: oldest-first listings
(by creation, and by update time), its own id and time fields (the envelope's), a change
feed with deletions, a feed older than the gateway keeps, quarantine, a refused endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from gateways.base import (
    CREATED_ASC,
    EVENTS,
    RELIST,
    UPDATED_ASC,
    UPDATED_AT,
    ChangeCursor,
    ChangePage,
    EntitySpec,
    Envelope,
    Page,
    ReadCursor,
)
from gateways.errors import GatewayUnsupportedError
from ledgerdesk.config import GatewayAccount
from pipelines.extract.landing import read_cursor
from pipelines.extract.runner import extract_entity
from tests.pipelines.extract.conftest import raw_payloads as _raw_payloads

T0 = 1_780_000_000
PAGE = 10
quiet = [].append
ACCOUNT = GatewayAccount(
    "acme", "main", credentials={"token": "ACME_TOKEN"}, secrets={"token": "t"}
)


class FakeSpec(EntitySpec):
    def problem(self, obj: Any) -> str | None:
        if not isinstance(obj, dict) or not isinstance(obj.get("key"), str):
            return f"{self.name}: no key"
        if not isinstance(obj.get("amount"), str):
            return f"{self.name} {obj['key']}: amount is not a decimal string"
        return None

    def envelope(self, obj: dict[str, Any]) -> Envelope:
        return Envelope(obj["key"], obj["created_at"], obj.get("updated_at"), obj)

    def tombstone(self, object_id: str) -> dict[str, Any]:
        return {"id": object_id, "deleted": True, "kind": self.name}


SPECS = {
    "sales": FakeSpec("sales", EVENTS, "a feed names changed sales", order=CREATED_ASC),
    "plans": FakeSpec("plans", UPDATED_AT, "listed by update time", order=UPDATED_ASC),
}


@dataclass
class FakeReader:
    """Oldest first, PAGE objects a page, the resume token the last key of a page."""

    objects: dict[str, list[dict]]
    clock: int = T0
    changed: list[tuple[int, dict | None, str]] = field(default_factory=list)  # pos, obj, key
    refused: set[str] = field(default_factory=set)
    reads: list[ReadCursor] = field(default_factory=list)
    pages_served: list[str] = field(default_factory=list)  # each page's last key, as served
    retention: int | None = 30 * 86_400

    def read(self, entity: str, since: ReadCursor | None = None):
        since = since or ReadCursor()
        self.reads.append(since)
        if entity in self.refused:
            raise GatewayUnsupportedError("acme account 'main'", entity, "no such endpoint")
        time_of = (
            (lambda o: o.get("updated_at") or o["created_at"])
            if SPECS[entity].order == UPDATED_ASC
            else (lambda o: o["created_at"])
        )
        rows = sorted(self.objects[entity], key=lambda o: (time_of(o), o["key"]))
        if since.since is not None:
            rows = [o for o in rows if time_of(o) >= since.since]
        if since.resume is not None:
            keys = [o["key"] for o in rows]
            rows = rows[keys.index(since.resume) + 1 :]
        for start in range(0, len(rows), PAGE):
            chunk = rows[start : start + PAGE]
            more = start + PAGE < len(rows)
            self.pages_served.append(chunk[-1]["key"])
            yield Page([dict(o) for o in chunk], chunk[-1]["key"], more, self.clock)

    def changes(self, entity: str, cursor: ChangeCursor):
        newest = max((p for p, _, _ in self.changed), default=0)
        if cursor.after is None:
            yield ChangePage([], {}, newest, self.clock)
            return
        fresh = [(p, o, k) for p, o, k in self.changed if p > cursor.after]
        objects = [o for _, o, _ in fresh if o is not None]
        deleted = {k: T0 for _, o, k in fresh if o is None}
        yield ChangePage(objects, deleted, max(newest, cursor.after), self.clock)

    def change_retention_seconds(self, entity: str) -> int | None:
        return self.retention

    def close(self) -> None:
        pass


@dataclass
class FakeModule:
    name: str = "acme"
    credentials: tuple[str, ...] = ("token",)
    entities: dict = field(default_factory=lambda: SPECS)
    actions: frozenset = frozenset()
    default_api_base: str = "https://acme.invalid"
    feeds: tuple[str, ...] = ()

    def reader(self, account):
        raise AssertionError("the tests pass their reader")

    def check_account(self, account):
        return []


MODULE = FakeModule()


def sale(n: int, **extra) -> dict:
    return {"key": f"S{n:04d}", "created_at": T0 - 100_000 + 60 * n, "amount": "10.00", **extra}


def run(reader, entity, path, *, now=T0, log=quiet, full_refresh=False, batch_objects=25):
    return extract_entity(
        MODULE, ACCOUNT, entity, path, reader=reader, log=log, now=lambda: now,
        full_refresh=full_refresh, batch_objects=batch_objects,
    )  # fmt: skip


def raw(path, entity):
    return _raw_payloads(path, entity, gateway="acme")


class Crash(Exception):
    pass


def test_an_oldest_first_listing_killed_between_batches_goes_on_from_its_token(tmp_path):
    sales = [sale(n) for n in range(95)]
    killed = tmp_path / "killed"

    def crash_after_two(message, seen=[]):  # noqa: B006
        if "landed listing batch" in message:
            seen.append(message)
            if len(seen) == 2:
                raise Crash

    with pytest.raises(Crash):
        run(FakeReader({"sales": sales}), "sales", killed, log=crash_after_two)
    cursor = read_cursor(killed, "acme", "main", "sales")
    # two batches of 3 pages (30 objects) committed before the crash
    assert cursor["resume"]["starting_after"] == "S0059"
    assert cursor["resume"]["high_water"] == sales[59]["created_at"]

    reader = FakeReader({"sales": sales})
    result = run(reader, "sales", killed)
    assert reader.reads[0] == ReadCursor(None, "S0059")
    assert result.objects_seen == 35
    assert raw(killed, "sales") == {("main", s["key"]): s for s in sales}
    assert result.cursor["created_gte"] == sales[-1]["created_at"]
    assert result.cursor["resume"] is None


def test_an_updated_first_listing_moves_by_update_time(tmp_path):
    path = tmp_path / "w"
    plans = [{"key": f"P{n}", "created_at": T0 - 9_000 + n, "amount": "1.00"} for n in range(12)]
    reader = FakeReader({"plans": plans})
    first = run(reader, "plans", path)
    assert first.cursor["created_gte"] == T0 - 9_000 + 11
    plans[0] = {**plans[0], "amount": "2.00", "updated_at": T0 + 500}
    reader = FakeReader({"plans": plans})
    again = run(reader, "plans", path, now=T0 + 600)
    # since = the last update time landed minus the account's lookback (3 days)
    assert reader.reads[0].since == T0 - 9_000 + 11 - 3 * 86_400
    assert again.updated == 1 and again.cursor["created_gte"] == T0 + 500
    assert raw(path, "plans")[("main", "P0")]["amount"] == "2.00"


def test_the_change_feed_lands_newer_versions_and_tombstones(tmp_path):
    path = tmp_path / "w"
    sales = [sale(n) for n in range(40)]
    reader = FakeReader({"sales": sales}, changed=[(T0 - 10, sales[0], "S0000")])
    first = run(reader, "sales", path)
    assert first.cursor["events_after"] == T0 - 10  # the baseline taken before the listing
    assert first.events_applied == 0

    reader.clock = T0 + 100
    reader.changed += [(T0 + 50, {**sales[3], "amount": "7.50"}, "S0003"), (T0 + 60, None, "S0004")]
    again = run(reader, "sales", path, now=T0 + 100)
    landed = raw(path, "sales")
    assert landed[("main", "S0003")]["amount"] == "7.50"
    assert landed[("main", "S0004")] == {"id": "S0004", "deleted": True, "kind": "sales"}
    assert again.events_applied == 2 and again.cursor["events_after"] == T0 + 60
    assert again.cursor["events_checked_at"] == T0 + 100


def test_a_feed_older_than_the_gateway_keeps_forces_a_full_listing_even_when_resuming(tmp_path):
    path = tmp_path / "w"
    sales = [sale(n) for n in range(60)]
    run(FakeReader({"sales": sales}), "sales", path)
    reader = FakeReader({"sales": sales}, retention=3_600)
    messages: list[str] = []
    result = run(reader, "sales", path, now=T0 + 7_200, log=messages.append)
    assert any("full re-list" in m for m in messages)
    assert reader.reads[0] == ReadCursor(None, None) and result.objects_seen == 60


def test_an_unfit_object_is_quarantined_and_a_refused_endpoint_lands_nothing(tmp_path):
    path = tmp_path / "w"
    sales = [sale(n) for n in range(5)] + [sale(9, amount=12.5)]
    result = run(FakeReader({"sales": sales}), "sales", path)
    assert result.quarantined == 1 and result.inserted == 5
    messages: list[str] = []
    refused = run(FakeReader({"plans": []}, refused={"plans"}), "plans", path, log=messages.append)
    assert refused.inserted == 0 and read_cursor(path, "acme", "main", "plans") is None
    assert any("plans: not offered by this server" in m for m in messages)


def test_a_relist_entity_is_listed_whole_on_every_run_and_prunes_what_is_gone(
    tmp_path, monkeypatch
):
    """Reference data (`relist`): no lower bound on any run, so an edit to an old object is
    seen, and a full listing removes what the gateway no longer lists."""
    spec = FakeSpec("coupons", RELIST, "small: listed whole each run", order=CREATED_ASC)
    monkeypatch.setitem(SPECS, "coupons", spec)
    path = tmp_path / "w.duckdb"
    coupons = [sale(n) for n in range(30)]
    reader = FakeReader({"coupons": coupons})
    run(reader, "coupons", path)
    coupons[0] = {**coupons[0], "amount": "99.00"}  # an edit to the oldest
    del coupons[5]  # gone from the gateway
    reader = FakeReader({"coupons": coupons}, clock=T0 + 7 * 86_400)
    result = run(reader, "coupons", path, now=T0 + 7 * 86_400)
    assert [c.since for c in reader.reads] == [None]
    assert (result.updated, result.removed) == (1, 1)
    got = {o["key"]: o["amount"] for o in raw(path, "coupons").values()}
    assert got == {c["key"]: c["amount"] for c in coupons}
