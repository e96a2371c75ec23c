"""Braintree's search criteria as the SDK sends them (`<search><created_at><min
type="datetime">...</min></created_at><ids type="array"><item>...</item></ids>...`), matched
against a store's records. Criteria are ANDed; a range is inclusive at both ends; a date field
(disbursement_date, dispute_date, received_date, effective_date ...) compares by day. A field a
search does not offer is refused (422), as Braintree refuses unknown search fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import etree

from sandbox.braintree.records import Record, parse_time

DAY = 86_400
DATE_FIELDS = frozenset(
    {
        "disbursement_date",
        "dispute_date",
        "received_date",
        "effective_date",
        "reply_by_date",
        "next_billing_date",
    }
)
RANGE_FIELDS = {
    "transactions": frozenset(
        {
            "created_at",
            "authorized_at",
            "submitted_for_settlement_at",
            "settled_at",
            "voided_at",
            "failed_at",
            "processor_declined_at",
            "gateway_rejected_at",
            "authorization_expired_at",
            "ach_return_responses_created_at",
            "disbursement_date",
            "dispute_date",
        }
    ),
    "customers": frozenset({"created_at"}),
    "subscriptions": frozenset({"created_at", "next_billing_date"}),
    "disputes": frozenset(
        {"received_date", "effective_date", "disbursement_date", "reply_by_date"}
    ),
}
WORD_FIELDS = {
    "transactions": frozenset(
        {"id", "status", "type", "customer_id", "currency", "merchant_account_id"}
    ),
    "customers": frozenset({"id", "email"}),
    "subscriptions": frozenset({"id", "status", "plan_id", "merchant_account_id"}),
    "disputes": frozenset(
        {"id", "status", "kind", "reason", "transaction_id", "merchant_account_id"}
    ),
}


class SearchError(ValueError):
    """A search Braintree would refuse (answered 422 with an api-error-response)."""


@dataclass(frozen=True)
class Criteria:
    tests: tuple[Callable[[Record], bool], ...]
    ids: tuple[str, ...] | None

    def match(self, rec: Record) -> bool:
        return all(test(rec) for test in self.tests)


def parse(body: bytes, kind: str) -> Criteria:
    try:
        root = etree.fromstring(body) if body.strip() else etree.Element("search")
    except etree.XMLSyntaxError as exc:
        raise SearchError(f"the request body is not XML: {exc}") from exc
    if root.tag != "search":
        raise SearchError("the request body must be <search>")
    tests: list[Callable[[Record], bool]] = []
    wanted_ids: tuple[str, ...] | None = None
    for node in root:
        name = node.tag
        if name == "ids":
            wanted_ids = tuple(item.text or "" for item in node)
            continue
        if name in RANGE_FIELDS.get(kind, ()):
            tests.append(_range(name, node))
        elif name in WORD_FIELDS.get(kind, ()):
            tests.append(_words(name, node))
        else:
            raise SearchError(f"{name} is not a {kind} search field")
    if wanted_ids is not None:
        allowed = frozenset(wanted_ids)
        tests.append(lambda rec: rec.el.findtext("id") in allowed)
    return Criteria(tuple(tests), wanted_ids)


def _range(name: str, node) -> Callable[[Record], bool]:
    low = parse_time(node.findtext("min"))
    high = parse_time(node.findtext("max"))
    is_ = parse_time(node.findtext("is"))
    if is_ is not None:
        low = high = is_
    if name in DATE_FIELDS:  # by day, inclusive
        low = None if low is None else low - low % DAY
        high = None if high is None else high - high % DAY + DAY - 1

    def test(rec: Record) -> bool:
        return any(
            (low is None or v >= low) and (high is None or v <= high)
            for v in rec.fields.get(name, ())
        )

    return test


def _words(name: str, node) -> Callable[[Record], bool]:
    if node.get("type") == "array":
        values = frozenset(item.text or "" for item in node)
        return lambda rec: any(v in values for v in rec.words.get(name, ()))
    ops = {c.tag: c.text or "" for c in node}

    def test(rec: Record) -> bool:
        for value in rec.words.get(name, ()):
            v = value or ""
            if "is" in ops and v != ops["is"]:
                continue
            if "is_not" in ops and v == ops["is_not"]:
                continue
            if "starts_with" in ops and not v.startswith(ops["starts_with"]):
                continue
            if "ends_with" in ops and not v.endswith(ops["ends_with"]):
                continue
            if "contains" in ops and ops["contains"] not in v:
                continue
            return True
        return False

    return test


def run(records: Iterable[Record], criteria: Criteria) -> list[Record]:
    """Matching records, newest first (created, then id), as Braintree orders search ids."""
    found = [rec for rec in records if criteria.match(rec)]
    found.sort(key=lambda rec: (rec.created, rec.el.findtext("id")), reverse=True)
    return found
