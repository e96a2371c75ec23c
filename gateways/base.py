"""The seam every gateway module implements, and the only thing pipelines and the actions API
know of a gateway.

A gateway module (`GatewayModule`) declares its credentials, its entities (`EntitySpec`: how
each is listed, validated and enveloped, and how its later changes are caught) and the actions
it supports, and builds a reader per configured account. A reader lists one entity page by
page as the gateway sent it (plain dicts parsed from the wire, never SDK objects), from a
cursor; it may offer a feed of later changes. The one extraction runner
(`pipelines/extract/runner.py`) does everything else: batching, the cursor saved with the
rows, resume, lookback, quarantine. The registry (`gateways/registry.py`) finds the modules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from gateways.cards import CardRules
    from ledgerdesk.config import GatewayAccount

# Action names a gateway may declare; the actions API maps each to a gateway call (`act`
# comes with the actions issue; the declaration and its shape are settled here).
KNOWN_ACTIONS = frozenset(
    {"refund", "cancel", "capture", "void", "send_invoice", "apply_coupon", "add_tax_id"}
)

# How an entity's later changes reach the warehouse (EntitySpec.changes), each with its why:
EVENTS = "events"  # the gateway's events feed names changed objects; they are re-read
STATUS_DATES = "status_dates"  # searches by status-change dates over the lookback (Braintree)
UPDATED_AT = "updated_at"  # the listing itself is ordered by update time (Recurly, Woo)
OPEN_ROWS = "open_rows"  # rows still open are listed again until they close
RELIST = "relist"  # small reference data: listed whole on every run
IMMUTABLE = "immutable"  # never changes once created: the created window is enough
CHANGE_MODES = frozenset({EVENTS, STATUS_DATES, UPDATED_AT, OPEN_ROWS, RELIST, IMMUTABLE})
# Modes whose changes come through the reader's change feed (`changes()`), after each listing.
FEED_MODES = frozenset({EVENTS, STATUS_DATES})

# The order a listing comes in, which says what the cursor's `since` bounds.
CREATED_DESC = "created_desc"  # newest first by creation (Stripe)
CREATED_ASC = "created_asc"  # oldest first by creation, in windows (Braintree, PayPal)
UPDATED_ASC = "updated_asc"  # oldest first by last update (Recurly, WooCommerce)
ORDERS = frozenset({CREATED_DESC, CREATED_ASC, UPDATED_ASC})


# The intermediate contracts of the warehouse (dbt int_<contract>_unioned) a gateway may feed.
CONTRACTS = (
    "customers",
    "payments",
    "refunds",
    "disputes",
    "subscriptions",
    "subscription_items",
    "invoices",
    "invoice_lines",
    "invoice_taxes",
    "credit_notes",
    "credit_note_lines",
)


@dataclass(frozen=True)
class Envelope:
    """What the runner keeps of one object besides the object itself: its id and times, in
    Unix seconds UTC (`updated` None when the gateway records no update time)."""

    id: str
    created: int
    updated: int | None
    obj: dict[str, Any]

    @property
    def cursor_time(self) -> int:
        """The time a cursor of an `updated_asc` listing moves by (else `created`)."""
        return self.updated if self.updated is not None else self.created


@dataclass(frozen=True)
class ReadCursor:
    """Where a listing starts: objects at or after `since` (Unix seconds; created or updated
    time as the entity's `order` says; None: from the beginning), going on after the page
    whose token is `resume` (opaque, the gateway's own)."""

    since: int | None = None
    resume: str | None = None

    # The names Stripe's reader grew up with.
    @property
    def created_gte(self) -> int | None:
        return self.since

    @property
    def starting_after(self) -> str | None:
        return self.resume


@dataclass(frozen=True)
class Page:
    """One page as the gateway sent it: raw items (a malformed one is the runner's to
    quarantine), the token to go on after this page, and the gateway's clock."""

    objects: list[Any]
    resume: str | None  # pass as ReadCursor.resume to continue after this page
    has_more: bool
    fetched_at: int  # the gateway's clock (Date header) when the page was served, Unix seconds


@dataclass(frozen=True)
class ChangeCursor:
    """Where a change feed goes on: `after` is the feed position last applied (Unix
    seconds of the newest change seen; None: take a baseline, apply nothing)."""

    after: int | None = None


@dataclass(frozen=True)
class ChangePage:
    """Objects that changed since the cursor, read whole in the pinned shape (newest version
    wins), ids the gateway deleted (id -> created when known), the feed's new position."""

    objects: list[Any]
    deleted: Mapping[str, int | None]
    position: int
    fetched_at: int


@dataclass(frozen=True)
class EntitySpec:
    """One entity of one gateway, declared once: reading, validating and enveloping all come
    from here. Gateways subclass it to add their own fields (paths, money fields) and override
    `problem` and `envelope`."""

    name: str  # warehouse table raw_<gateway>.<name>
    changes: str  # one of CHANGE_MODES
    why: str  # why `changes` is enough for this entity, in a sentence
    order: str = CREATED_DESC
    prune_unlisted: bool = True  # a full listing removes rows it did not see
    # listing overlap in seconds instead of the account's lookback_days (None: lookback)
    overlap_seconds: int | None = None
    # (field, values) of a landed row that may still change unseen: listed again while so
    reopen_while: tuple[str, tuple[str, ...]] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # gateway-specific settings

    def problem(self, obj: Any) -> str | None:
        """None for an object fit to land, else the reason it is quarantined."""
        raise NotImplementedError

    def envelope(self, obj: dict[str, Any]) -> Envelope:
        """The id and times of an object `problem` passed."""
        raise NotImplementedError

    def tombstone(self, object_id: str) -> dict[str, Any]:
        """What lands for an object the gateway deleted (a gateway may add fields)."""
        return {"id": object_id, "deleted": True}

    @property
    def uses_change_feed(self) -> bool:
        """Whether the runner applies the reader's change feed after each listing."""
        return self.changes in FEED_MODES


@runtime_checkable
class Reader(Protocol):
    """Reads one configured account. `changes` and `change_retention_seconds` are optional:
    a reader without them offers no change feed (`has_change_feed`). The runner calls the
    feed, for entities whose `uses_change_feed` (changes in FEED_MODES), as

        changes(entity, ChangeCursor(after=None)) -> Iterator[ChangePage]
            before a full listing: the feed's position now (pages may be empty; the last
            page's `position` is kept), so changes made while the listing runs are caught;
        changes(entity, ChangeCursor(after=<saved position>)) -> Iterator[ChangePage]
            after each listing: what changed since; the position is saved only when the
            iterator ends (a crash means reading the same changes again);
        change_retention_seconds(entity) -> int | None
            how long the gateway keeps changes (Stripe: 29 days): a feed last read longer
            ago makes the runner list the entity in full again.

    The pipeline builds one reader per (account, entity) it extracts, each in its own thread:
    a reader need not be thread-safe, but what the readers of one account share (a rate
    limit) must be."""

    def read(self, entity: str, since: ReadCursor | None = None) -> Iterator[Page]:
        """Pages of `entity` in the entity's `order`, from `since` to the end of the listing."""
        ...

    def close(self) -> None: ...


def has_change_feed(reader: Any) -> bool:
    return callable(getattr(reader, "changes", None))


@runtime_checkable
class GatewayModule(Protocol):
    """What a gateway package exposes (as `MODULE` in its package, or by entry point)."""

    name: str  # "stripe"; the warehouse schema raw_<name> and the dbt models use it
    credentials: tuple[str, ...]  # the gateway's own credential names
    entities: Mapping[str, EntitySpec]
    actions: frozenset[str]  # subset of KNOWN_ACTIONS
    default_api_base: str
    # the intermediate contracts its dbt models feed (int_<name>__<contract>): of CONTRACTS
    feeds: tuple[str, ...]
    # where it files card data (gateways.cards.CardRules): cut to brand, last four, expiry
    # and country before anything lands
    cards: CardRules

    def reader(self, account: GatewayAccount) -> Reader:
        """A reader for one configured account (credentials resolved here, not earlier)."""
        ...

    def check_account(self, account: GatewayAccount) -> list[tuple[str, str]]:
        """(key under the account, problem) for each setting this gateway cannot use."""
        ...


# The Stripe reader's own name for the protocol, kept while Stripe moves onto the seam.
Gateway = Reader
