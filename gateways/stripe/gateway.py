"""StripeGateway, Stripe's reader on the seam: entities page by page as plain dicts, newest
first, and a change feed (events as signals, gateways/stripe/changes.py)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import stripe

from gateways.base import ChangeCursor, ChangePage, Page, ReadCursor
from gateways.errors import GatewayNotFoundError, GatewayServerError
from gateways.pacing import RateLimits, shared_pacer
from gateways.retry import RetryPolicy
from gateways.stripe.entities import ENTITIES, EVENTS_PATH, EmbeddedList, StripeEntity
from gateways.stripe.transport import STRIPE_SIGNALS, StripeTransport
from ledgerdesk.config import GatewayAccount

DEFAULT_API_BASE = "https://api.stripe.com"
PAGE_LIMIT = 100  # Stripe's maximum
# Stripe's published read limits: live mode 25 a second per endpoint and 100 in all; test mode
# 25 in all (docs.stripe.com/rate-limits).
LIVE_LIMITS = RateLimits(per_path_per_second=25, total_per_second=100)
TEST_LIMITS = RateLimits(per_path_per_second=25, total_per_second=25)


def rate_limits_for(account: GatewayAccount) -> RateLimits | None:
    """The account's own `rate_limits`, else Stripe's published ones when it talks to
    Stripe itself; a stand-in server (`api_base`) says its limits by 429 (retried)."""
    if account.rate_limits is not None:
        return RateLimits(
            account.rate_limits.get("per_path_per_second"),
            account.rate_limits.get("total_per_second"),
        )
    if account.api_base is not None:
        return None
    return TEST_LIMITS if account.api_key.startswith(("sk_test_", "rk_test_")) else LIVE_LIMITS


class StripeGateway:
    gateway = "stripe"
    entities = tuple(ENTITIES)
    # Declared for the actions API (a later piece); no action is implemented here yet.
    actions = frozenset({"refund", "cancel", "capture", "send_invoice", "add_tax_id"})

    def __init__(
        self,
        account: GatewayAccount,
        *,
        http_client: stripe.HTTPClient | None = None,
        max_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if account.gateway != "stripe":
            raise ValueError(f"{account.label} is not a Stripe account")
        self.account = account
        limits = rate_limits_for(account)
        base = account.api_base or DEFAULT_API_BASE
        pacer = shared_pacer(("stripe", account.name, base), limits) if limits else None
        self._transport = StripeTransport(
            api_key=account.api_key,
            api_base=account.api_base or DEFAULT_API_BASE,
            account_label=account.label,
            http_client=http_client,
            policy=RetryPolicy(max_attempts=max_retries + 1, signals=STRIPE_SIGNALS),
            sleep=sleep,
            jitter=jitter,
            clock=clock,
            pacer=pacer,
        )

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> StripeGateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, entity: str, since: ReadCursor | None = None) -> Iterator[Page]:
        """Pages of `entity`, newest first, created at or after since.created_gte, each object
        with its embedded lists complete."""
        spec = self.entity(entity)
        since = since or ReadCursor()
        params: list[tuple[str, str | int]] = [("limit", PAGE_LIMIT), *spec.list_params]
        if since.created_gte is not None:
            params.append(("created[gte]", since.created_gte))
        for page in self._pages(spec.path, params, since.starting_after, entity):
            for obj in page.objects:
                self.complete_embedded(spec, obj)
            yield page

    def changes(self, entity: str, cursor: ChangeCursor) -> Iterator[ChangePage]:
        """Objects of `entity` that events named since `cursor.after`, read again by id."""
        from gateways.stripe.changes import changes

        return changes(self, self.entity(entity), cursor)

    def change_retention_seconds(self, entity: str) -> int | None:
        """Stripe keeps 30 days of events: a feed last read longer ago may have lost some."""
        from gateways.stripe.changes import EVENTS_KEPT_SECONDS

        return EVENTS_KEPT_SECONDS

    def now(self) -> int:
        return self._transport.now()

    def retrieve(self, entity: str, object_id: str) -> tuple[dict[str, Any] | None, int]:
        """(the object in the pinned version, server time), embedded lists complete; None
        for an object Stripe no longer has (404 resource_missing). A deleted customer comes
        back as Stripe's stub `{"id", "object", "deleted": true}`."""
        spec = self.entity(entity)
        what = f"{entity} {object_id} ({spec.path}/{object_id})"
        try:
            body, served_at = self._transport.get(f"{spec.path}/{object_id}", [], what)
        except GatewayNotFoundError as exc:
            if exc.code == "resource_missing":
                return None, int(self._transport.now())
            raise
        if not isinstance(body, dict):
            raise GatewayServerError(self.account.label, what, "answer is not a JSON object")
        self.complete_embedded(spec, body)
        return body, served_at

    def read_events(
        self, types: tuple[str, ...], created_gte: int | None, *, entity: str = "events"
    ) -> Iterator[Page]:
        """Pages of events of `types` (newest first) created at or after `created_gte`.

        `entity` names what the events are read for, in error messages."""
        params: list[tuple[str, str | int]] = [("limit", PAGE_LIMIT)]
        if created_gte is not None:
            params.append(("created[gte]", created_gte))
        params.extend(("types[]", t) for t in types)
        yield from self._pages(EVENTS_PATH, params, None, f"{entity} events")

    def newest_event_created(self, *, entity: str = "events") -> int | None:
        """`created` of the newest event of any type, or None when the account has none."""
        what = f"{entity} events ({EVENTS_PATH})"
        body, _ = self._transport.get(EVENTS_PATH, [("limit", 1)], what)
        data = _list_data(body, self.account.label, what)
        return data[0].get("created") if data else None

    @staticmethod
    def entity(name: str) -> StripeEntity:
        try:
            return ENTITIES[name]
        except KeyError:
            raise ValueError(f"unknown Stripe entity {name!r}; known: {sorted(ENTITIES)}") from None

    def _pages(
        self, path: str, params: list[tuple[str, Any]], after: str | None, what: str
    ) -> Iterator[Page]:
        while True:
            page_params = [*params, ("starting_after", after)] if after else params
            body, served_at = self._transport.get(path, page_params, f"{what} ({path})")
            data = _list_data(body, self.account.label, f"{what} ({path})")
            has_more = bool(body.get("has_more"))
            last_id = next(
                (o["id"] for o in reversed(data) if isinstance(o, dict) and _is_id(o.get("id"))),
                None,
            )
            yield Page(data, last_id, has_more, served_at)
            if not has_more or last_id is None:
                return
            after = last_id

    def complete_embedded(self, spec: StripeEntity, obj: Any) -> None:
        """Fetch every embedded list's items beyond its first page (invoice lines,
        subscription items, credit note lines), so the stored object holds all of them."""
        if not isinstance(obj, dict) or not _is_id(obj.get("id")):
            return
        for embedded in spec.embedded:
            self._complete(embedded, obj, spec.name)

    def _complete(self, embedded: EmbeddedList, obj: dict[str, Any], entity: str) -> None:
        listed = obj.get(embedded.field)
        if not isinstance(listed, dict) or not listed.get("has_more"):
            return
        data = list(listed.get("data") or [])
        after = data[-1]["id"] if data else None
        path = embedded.path.replace("{id}", obj["id"])
        params: list[tuple[str, Any]] = [("limit", PAGE_LIMIT)]
        if embedded.parent_param:
            params.append((embedded.parent_param, obj["id"]))
        what = f"{entity} {obj['id']} {embedded.field}"
        for page in self._pages(path, params, after, what):
            data.extend(page.objects)
        listed["data"] = data
        listed["has_more"] = False


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _list_data(body: Any, label: str, what: str) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise GatewayServerError(label, what, "answer is not a list object with `data`")
    return body["data"]
