"""BraintreeReader: read a Braintree merchant account page by page as plain dicts.

Listing (`read`): a search in `created_at` windows, oldest window first: `advanced_search_ids`
names the window's ids, `advanced_search` fetches them 50 at a time (the page size the gateway
gives). A window whose id count reaches the search cap (20,000 transactions, 10,000 others) is
incomplete: it is halved and both halves searched again. Disputes are pages of
`/disputes/advanced_search?page=N` in `received_date` windows (their own cap, halved alike);
the catalogue (plans, add-ons, discounts) is one GET each. The resume token is the window
position, `<start>:<end>:<offset>`: go on in [start, end] after `offset` ids, then onwards.

Later changes (`changes`): Braintree has no updated_at to search. Each status-date field of
the entity (settled_at, voided_at, disbursement_date, dispute_date; a dispute's effective_date
...) is searched from the last position minus CHANGE_OVERLAP up to now; the ids found are
de-duplicated and each fetched once, whole, as it is now (the newest version wins).
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
from gateways.errors import GatewayServerError
from gateways.retry import RetryPolicy

BATCH = 50  # ids per advanced_search call when the gateway names no page size
FLOOR = int(datetime(2008, 1, 1, tzinfo=UTC).timestamp())  # before any Braintree account
CHANGE_OVERLAP = 2 * 86_400  # status dates are searched from this far before the position
DAY = 86_400
DATE_FIELDS = frozenset({"disbursement_date", "dispute_date", "effective_date", "received_date"})


def _when(ts: int, field: str) -> datetime:
    """A criterion value: a datetime (the SDK sends both kinds as `type="datetime"`)."""
    value = datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)
    if field in DATE_FIELDS:
        value = value.replace(hour=0, minute=0, second=0)
    return value


def _between(field: str, low: int, high: int) -> dict[str, Any]:
    return {field: {"min": _when(low, field), "max": _when(high, field)}}


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
            start, end, offset = _parse_token(since.resume)
        elif since.since is not None:
            start = max(FLOOR, since.since)
        now = self._transport.now() + 1
        windows: list[tuple[int, int, int]] = []
        if end is not None:
            windows.append((start, end, offset))
            start = end + 1
        if start <= now:
            windows.append((start, now, 0))
        fetched_at = self._transport.now()
        while windows:
            low, high, skip = windows.pop(0)
            if spec.listing == DISPUTE_PAGES:
                pages = self._dispute_window(spec, low, high, skip, windows)
            else:
                pages = self._search_window(spec, low, high, skip, windows)
            for page in pages:
                fetched_at = page.fetched_at
                yield page
        yield Page([], None, False, fetched_at)

    def _search_window(self, spec, low, high, skip, windows) -> Iterator[Page]:
        ids, page_size, served = self._search_ids(spec, _between("created_at", low, high))
        if len(ids) >= self.cap(spec) and high > low:
            mid = (low + high) // 2  # a capped result is incomplete: halve and search again
            windows[0:0] = [(low, mid, 0), (mid + 1, high, 0)]
            return
        ids.reverse()  # the gateway answers newest first; the window is read oldest first
        for i in range(skip, len(ids), page_size):
            batch = ids[i : i + page_size]
            objects, served = self._fetch(spec, batch, _between("created_at", low, high))
            done = i + len(batch)
            token = f"{low}:{high}:{done}" if done < len(ids) else f"{high + 1}::0"
            yield Page(objects, token, True, served)

    def _search_ids(self, spec, criteria) -> tuple[list[str], int, int]:
        what = f"{spec.name} ({spec.path}/advanced_search_ids)"
        tag, body, served = self._transport.post(
            f"{spec.path}/advanced_search_ids", {"search": criteria}, what
        )
        if tag != "search_results" or not isinstance(body, dict):
            raise GatewayServerError(self.account.label, what, f"answer is <{tag}>, not results")
        ids = [i for i in body.get("ids") or [] if isinstance(i, str)]
        return ids, int(body.get("page_size") or BATCH), served

    def _fetch(self, spec, ids: list[str], criteria) -> tuple[list[Any], int]:
        what = f"{spec.name} ({spec.path}/advanced_search)"
        criteria = {**criteria, "ids": list(ids)}
        tag, body, served = self._transport.post(
            f"{spec.path}/advanced_search", {"search": criteria}, what
        )
        if tag != spec.collection:
            raise GatewayServerError(self.account.label, what, f"answer is <{tag}>")
        return _items(body, spec), served

    def _dispute_window(self, spec, low, high, skip, windows) -> Iterator[Page]:
        criteria = _between("received_date", low, high)
        page_number = skip // BATCH + 1
        first = True
        while True:
            objects, total, size, served = self._dispute_page(criteria, page_number)
            if first and total >= self.cap(spec) and high - low >= DAY:
                mid = (low + high) // 2
                windows[0:0] = [(low, mid, 0), (mid + 1, high, 0)]
                return
            first = False
            done = page_number * size
            more = done < total
            token = f"{low}:{high}:{done}" if more else f"{high + 1}::0"
            yield Page(objects, token, True, served)
            if not more or not objects:
                return
            page_number += 1

    def _dispute_page(self, criteria, page: int) -> tuple[list[Any], int, int, int]:
        what = f"disputes (disputes/advanced_search?page={page})"
        tag, body, served = self._transport.post(
            f"disputes/advanced_search?page={page}", {"search": criteria}, what
        )
        if tag != "disputes" or not isinstance(body, dict):
            raise GatewayServerError(self.account.label, what, f"answer is <{tag}>")
        spec = ENTITIES["disputes"]
        total = int(body.get("total_items") or 0)
        return _items(body, spec), total, int(body.get("page_size") or BATCH), served

    # -- later changes ----------------------------------------------------------------------
    def changes(self, entity: str, cursor: ChangeCursor | None = None) -> Iterator[ChangePage]:
        spec = self.entity(entity)
        cursor = cursor or ChangeCursor()
        now = self._transport.now()
        if cursor.after is None or not spec.status_dates:  # a baseline: nothing to apply
            yield ChangePage([], {}, now, now)
            return
        low = cursor.after - CHANGE_OVERLAP
        seen: set[str] = set()
        # pages as they are fetched; the position moves only with the last (empty) one
        for field in spec.status_dates:
            criteria = _between(field, low, now + 1)
            if spec.listing == DISPUTE_PAGES:
                page = 1
                while True:
                    objects, total, size, served = self._dispute_page(criteria, page)
                    fresh = [o for o in objects if _fresh(o, seen)]
                    if fresh:
                        yield ChangePage(fresh, {}, cursor.after, served)
                    if page * size >= total or not objects:
                        break
                    page += 1
                continue
            ids, size, _ = self._search_ids(spec, criteria)
            new = [i for i in ids if i not in seen]
            seen.update(new)
            for i in range(0, len(new), size):
                objects, served = self._fetch(spec, new[i : i + size], criteria)
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


def _parse_token(token: str) -> tuple[int, int | None, int]:
    start, end, offset = token.split(":")
    return int(start), (int(end) if end else None), int(offset)
