"""BraintreeReader: read a Braintree merchant account page by page as plain dicts.

Listing (`read`): a search in windows of the entity's `listed_by` field, oldest window first
(`created_at`; disputes, which Braintree searches by no creation time, `received_date`):
`advanced_search_ids` names the window's ids, `advanced_search` fetches them in the page size
the gateway gives. Disputes are pages of `/disputes/advanced_search?page=N`, their page size
read from each answer. A window at the search cap is halved (`windows.complete_windows`). The
catalogue (plans, add-ons, discounts) is one GET each. The resume token is the window
position, `<start>:<end>:<offset>`: go on in [start, end] after `offset` objects, then onwards.

Later changes (`changes`): Braintree has no updated_at to search. Each status-date field of
the entity (settled_at, voided_at, authorization_expired_at, disbursement_date ...; a
dispute's effective_date) is searched from the last position minus the account's lookback up
to now, in windows under the cap as the listing's; the ids found are de-duplicated and each
fetched once, whole, as it is now (the newest version wins).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from gateways.base import ChangeCursor, ChangePage, Page, ReadCursor
from gateways.braintree.entities import CATALOGUE, DISPUTE_PAGES, ENTITIES, BraintreeEntity
from gateways.braintree.transport import BRAINTREE_SIGNALS, DEFAULT_API_BASE, BraintreeTransport
from gateways.braintree.windows import (
    DAY,
    after,
    complete_windows,
    page_size,
    parse_token,
)
from gateways.errors import GatewayServerError
from gateways.retry import RetryPolicy

BATCH = 50  # ids per advanced_search call when the gateway names no page size
FLOOR = int(datetime(2008, 1, 1, tzinfo=UTC).timestamp())  # before any Braintree account


class BraintreeReader:
    gateway = "braintree"

    def __init__(
        self,
        account,
        *,
        max_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.time,
        caps: dict[str, int] | None = None,
    ) -> None:
        if account.gateway != "braintree":
            raise ValueError(f"{account.label} is not a Braintree account")
        self.account = account
        self._caps = caps or {}
        self._clock = clock
        self._transport = BraintreeTransport(
            merchant_id=account.secret("merchant_id"),
            public_key=account.secret("public_key"),
            private_key=account.secret("private_key"),
            api_base=account.api_base or DEFAULT_API_BASE,
            account_label=account.label,
            policy=RetryPolicy(max_attempts=max_retries + 1, signals=BRAINTREE_SIGNALS),
            sleep=sleep,
            jitter=jitter,
            clock=clock,
        )

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> BraintreeReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def entity(name: str) -> BraintreeEntity:
        try:
            return ENTITIES[name]
        except KeyError:
            raise ValueError(
                f"unknown Braintree entity {name!r}; known: {sorted(ENTITIES)}"
            ) from None

    def cap(self, spec: BraintreeEntity) -> int:
        return self._caps.get(spec.name, spec.cap)

    def change_retention_seconds(self, entity: str) -> int | None:
        return None  # status dates are kept for ever

    # -- listing ---------------------------------------------------------------------------
    def read(self, entity: str, since: ReadCursor | None = None) -> Iterator[Page]:
        spec = self.entity(entity)
        since = since or ReadCursor()
        if spec.listing == CATALOGUE:
            __, body, served = self._transport.get(spec.path, f"{entity} ({spec.path})")
            yield Page(_items(body, spec), None, False, served)
            return
        start, end, offset = FLOOR, None, 0
        if since.resume:
            start, end, offset = parse_token(since.resume)
        elif since.since is not None:
            start = max(FLOOR, since.since)
        now = self._transport.now() + 1
        windows: list[tuple[int, int, int]] = []
        if end is not None:
            windows.append((start, end, offset))
            start = after(spec.listed_by, end)
        if start <= now:
            windows.append((start, now, 0))
        fetched_at = self._transport.now()
        for low, high, skip in windows:
            for lo, hi, criteria, answer in self._windows(spec, spec.listed_by, low, high):
                if spec.listing != DISPUTE_PAGES:  # ids come newest first; read oldest first
                    answer = (answer[0][::-1], answer[1])
                # a resumed window halved since goes on from its start: nothing is skipped
                at = skip if (lo, hi) == (low, high) else 0
                for objects, done, more, served in self._pages(spec, criteria, answer, at):
                    token = f"{lo}:{hi}:{done}" if more else f"{after(spec.listed_by, hi)}::0"
                    fetched_at = served
                    yield Page(objects, token, True, served)
        yield Page([], None, False, fetched_at)

    def _windows(self, spec, field: str, low: int, high: int):
        """Windows of [low, high] by `field` under the cap (`complete_windows`; a capped day
        split by created_at, which DisputeSearch lacks): (low, high, criteria, the window's ids
        and page size, or its first dispute page)."""
        if spec.listing == DISPUTE_PAGES:

            def search(criteria):
                first = self._dispute_page(criteria, 1)
                return first[1], first

        else:

            def search(criteria):
                ids, size, _ = self._search_ids(spec, criteria)
                return len(ids), (ids, size)

        within = None if spec.listing == DISPUTE_PAGES else ("created_at", FLOOR)
        label = self.account.label
        return complete_windows(search, self.cap(spec), field, low, high, label, within)

    def _pages(self, spec, criteria, answer, skip: int = 0):
        """(objects, items done, more to come, served) of one window, after `skip` items."""
        if spec.listing == DISPUTE_PAGES:
            yield from self._dispute_pages(criteria, answer, skip)
            return
        ids, size = answer
        for i in range(skip, len(ids), size):
            objects, served = self._fetch(spec, ids[i : i + size], criteria)
            done = min(i + size, len(ids))
            yield objects, done, done < len(ids), served

    def _search_ids(self, spec, criteria) -> tuple[list[str], int, int]:
        what = f"{spec.name} ({spec.path}/advanced_search_ids)"
        tag, body, served = self._transport.post(
            f"{spec.path}/advanced_search_ids", {"search": criteria}, what
        )
        if tag != "search_results" or not isinstance(body, dict):
            raise GatewayServerError(self.account.label, what, f"answer is <{tag}>, not results")
        ids = [i for i in body.get("ids") or [] if isinstance(i, str)]
        return ids, page_size(body, BATCH), served

    def _fetch(self, spec, ids: list[str], criteria) -> tuple[list[Any], int]:
        what = f"{spec.name} ({spec.path}/advanced_search)"
        criteria = {**criteria, "ids": list(ids)}
        tag, body, served = self._transport.post(
            f"{spec.path}/advanced_search", {"search": criteria}, what
        )
        if tag != spec.collection:
            raise GatewayServerError(self.account.label, what, f"answer is <{tag}>")
        return _items(body, spec), served

    def _dispute_pages(self, criteria, first, skip: int):
        """Pages of one dispute window from its first page, after `skip` disputes. The page
        size is the one the gateway's answer gives, never assumed."""
        objects, total, size, served = first
        page = skip // size + 1
        if page > 1:
            objects, total, size, served = self._dispute_page(criteria, page)
        objects = objects[skip - (page - 1) * size :]
        while True:
            done = min(page * size, total)
            more = done < total and bool(objects)
            yield objects, done, more, served
            if not more:
                return
            page += 1
            objects, total, size, served = self._dispute_page(criteria, page)

    def _dispute_page(self, criteria, page: int) -> tuple[list[Any], int, int, int]:
        what = f"disputes (disputes/advanced_search?page={page})"
        tag, body, served = self._transport.post(
            f"disputes/advanced_search?page={page}", {"search": criteria}, what
        )
        if tag != "disputes" or not isinstance(body, dict):
            raise GatewayServerError(self.account.label, what, f"answer is <{tag}>")
        spec = ENTITIES["disputes"]
        total = int(body.get("total_items") or 0)
        return _items(body, spec), total, page_size(body, BATCH), served

    # -- later changes ----------------------------------------------------------------------
    def changes(self, entity: str, cursor: ChangeCursor | None = None) -> Iterator[ChangePage]:
        spec = self.entity(entity)
        cursor = cursor or ChangeCursor()
        now = self._transport.now()
        if cursor.after is None or not spec.status_dates:  # a baseline: nothing to apply
            yield ChangePage([], {}, now, now)
            return
        low = cursor.after - self.account.lookback_days * DAY  # the account's lookback
        seen: set[str] = set()
        # pages as they are fetched; the position moves only with the last (empty) one
        for field in spec.status_dates:
            for _, _, criteria, answer in self._windows(spec, field, low, now + 1):
                if spec.listing != DISPUTE_PAGES:  # each id fetched once, whatever its field
                    answer = ([i for i in answer[0] if i not in seen], answer[1])
                    seen.update(answer[0])
                for objects, _, _, served in self._pages(spec, criteria, answer):
                    if spec.listing == DISPUTE_PAGES:
                        objects = [o for o in objects if _fresh(o, seen)]
                    if objects:
                        yield ChangePage(objects, {}, cursor.after, served)
        yield ChangePage([], {}, now, self._transport.now())


def _fresh(obj: Any, seen: set[str]) -> bool:
    key = obj.get("id") if isinstance(obj, dict) else None
    if not isinstance(key, str) or key in seen:
        return key is None  # an object without an id goes on to be quarantined
    seen.add(key)
    return True


def _items(body: Any, spec: BraintreeEntity) -> list[Any]:
    if isinstance(body, list):  # a catalogue array
        return body
    if not isinstance(body, dict):
        return []
    items = body.get(spec.item)
    if items is None:
        return []
    return items if isinstance(items, list) else [items]
