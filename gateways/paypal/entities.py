"""Every PayPal entity Ledgerdesk reads, written down once: where it is listed, how its id and
times are read, how its later changes reach the warehouse, and what gets it quarantined.

Captures and refunds are not entities of their own: Transaction Search lists every money
movement (payments, refunds T1107, reversals T1106, chargebacks T1201) with its fee, and is
the one complete listing; Payments v2 only reads them one id at a time. Authorizations move no
money: Transaction Search lists them (T1300) only with `balance_affecting_records_only=N`, and
its ids are unique only among balance-affecting rows or among the others, so they are an
entity of their own (a table of their own), listed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gateways.base import CREATED_ASC, IMMUTABLE, RELIST, EntitySpec, Envelope
from gateways.paypal.money import money_problem


def parse_time(text: str) -> int:
    """PayPal's date-times (`...Z`, `...+0000`, `...+00:00`) as Unix seconds."""
    text = text.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    return int(datetime.fromisoformat(text).timestamp())


@dataclass(frozen=True)
class PayPalEntity(EntitySpec):
    id_path: tuple[str, ...] = ("id",)
    created_path: tuple[str, ...] = ("create_time",)
    updated_path: tuple[str, ...] | None = ("update_time",)

    def _get(self, obj: dict[str, Any], path: tuple[str, ...]) -> Any:
        for key in path:
            obj = obj.get(key) if isinstance(obj, dict) else None
        return obj

    def problem(self, obj: Any) -> str | None:
        if not isinstance(obj, dict):
            return "not a JSON object"
        oid = self._get(obj, self.id_path)
        if not isinstance(oid, str) or not oid:
            return f"no id at {'.'.join(self.id_path)}"
        created = self._get(obj, self.created_path)
        try:
            parse_time(created)
        except (TypeError, ValueError, AttributeError):
            return f"{'.'.join(self.created_path)} {created!r} is not a date-time"
        return money_problem(obj)

    def envelope(self, obj: dict[str, Any]) -> Envelope:
        updated = self._get(obj, self.updated_path) if self.updated_path else None
        try:
            updated_at = parse_time(updated) if updated else None
        except ValueError:
            updated_at = None
        created = parse_time(self._get(obj, self.created_path))
        return Envelope(self._get(obj, self.id_path), created, updated_at, obj)


# A Transaction Search row: listed by date, oldest first, the last window (31 days) listed
# again on each run.
SEARCH_ROW = {
    "changes": IMMUTABLE,
    "order": CREATED_ASC,
    "overlap_seconds": 31 * 86_400,  # one Transaction Search window, a few pages
    "prune_unlisted": False,  # Transaction Search keeps 3 years: older rows stay
    "id_path": ("transaction_info", "transaction_id"),
    "created_path": ("transaction_info", "transaction_initiation_date"),
    "updated_path": ("transaction_info", "transaction_updated_date"),
}

ENTITIES: dict[str, PayPalEntity] = {
    e.name: e
    for e in (
        PayPalEntity(
            "transactions",
            why=(
                "a refund, reversal or chargeback is a transaction of its own (T1107, T1106, "
                "T1201), so a payment's row never needs rewriting for them; a pending one (P) "
                "settles within days: each run lists the last window (31 days) again"
            ),
            **SEARCH_ROW,
        ),
        PayPalEntity(
            "authorizations",
            why=(
                "an authorization (T1300, not balance-affecting) changes once, captured (S) "
                "or voided (V, or a void row T1302 of its own), within its 29 days: each run "
                "lists the last window (31 days) again"
            ),
            **SEARCH_ROW,
        ),
        PayPalEntity(
            "subscriptions",
            changes=RELIST,
            why="status changes (cancelled, suspended) have no feed here: listed whole each run",
        ),
        PayPalEntity(
            "plans",
            changes=RELIST,
            why="a small catalogue: listed whole each run",
        ),
        PayPalEntity(
            "disputes",
            changes=RELIST,
            why="status and outcome change for months: listed whole each run, details by id",
            id_path=("dispute_id",),
        ),
        PayPalEntity(
            "invoices",
            changes=RELIST,
            why="Invoicing v2 lists without a date filter: listed whole each run",
            created_path=("detail", "metadata", "create_time"),
            updated_path=("detail", "metadata", "last_update_time"),
        ),
    )
}
