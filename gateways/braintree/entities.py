"""Every Braintree entity Ledgerdesk reads, written down once: how it is listed (search in
`created_at` windows, dispute pages, or a whole catalogue), how its later changes are caught,
its money fields and where its currency is, and how it is validated and enveloped.

Braintree money is a decimal string in the currency's exponent; a value that is not one, or
is not exact in it (significant digits past it), is quarantined, never rounded. Times are naive UTC.
"""

from __future__ import annotations

from calendar import timegm
from dataclasses import dataclass
from time import strptime
from typing import Any

from gateways.base import CREATED_ASC, OPEN_ROWS, RELIST, STATUS_DATES, EntitySpec, Envelope
from ledgerdesk.money import DECIMAL_TEXT, MAX_DIGITS, decimal_places, decimal_to_minor

# The currencies a Braintree merchant account may settle in. Their exponents are ISO 4217's
# from the currencies seed (ledgerdesk.money; Braintree has no exception rows there).
GATEWAY = "braintree"
CURRENCIES = (
    "USD", "EUR", "GBP", "AUD", "CAD", "CHF", "SEK", "NOK", "DKK", "NZD", "SGD", "HKD", "MXN",
    "BRL", "PLN", "CZK", "HUF", "INR", "ILS", "ZAR", "AED", "SAR", "MYR", "PHP", "THB", "TRY",
    "RON", "BGN", "CNY", "TWD", "JPY", "KRW", "VND", "CLP", "ISK", "KWD", "BHD", "JOD", "OMR",
    "TND",
)  # fmt: skip
EXPONENTS = {currency: decimal_places(currency, GATEWAY) for currency in CURRENCIES}
# A catalogue add-on or discount has no currency (it is billed in a subscription's): its
# amount may have the most decimals any currency allows; on a subscription it is checked in
# the subscription's currency (nested_money).
MOST_DECIMALS = max(EXPONENTS.values())

SEARCH = "search"  # advanced_search_ids in listed_by windows, then advanced_search by 50
DISPUTE_PAGES = "dispute_pages"  # /disputes/advanced_search?page=N in received_date windows
CATALOGUE = "catalogue"  # one GET of the whole list


def braintree_time(text: Any) -> int | None:
    """`2021-01-25T19:17:43Z` (naive UTC, as Braintree writes it) or a date -> Unix seconds."""
    if not isinstance(text, str) or not text:
        return None
    try:
        fmt = "%Y-%m-%d" if len(text) == 10 else "%Y-%m-%dT%H:%M:%SZ"
        return timegm(strptime(text, fmt))
    except ValueError:
        return None


def money_problem(value: Any, currency: str | None, field: str) -> str | None:
    """Why a money field is not an exact decimal string in its currency's exponent (the one
    rule, ledgerdesk.money.decimal_to_minor: "1500.00" JPY is exact, "1500.5" is not)."""
    if value is None:
        return None
    if not isinstance(value, str) or not DECIMAL_TEXT.fullmatch(value):
        return f"{field} {value!r} is not a decimal string"
    allowed = EXPONENTS.get(currency, MOST_DECIMALS) if currency else MOST_DECIMALS
    decimals = len(value.partition(".")[2].rstrip("0"))
    if decimals > allowed:
        return f"{field} {value!r} has {decimals} decimals; {currency or 'money'} allows {allowed}"
    if currency in EXPONENTS and decimal_to_minor(value, currency, GATEWAY) is None:
        return f"{field} {value!r} has more than {MAX_DIGITS} digits"
    return None


@dataclass(frozen=True)
class BraintreeEntity(EntitySpec):
    listing: str = SEARCH
    path: str = ""  # under /merchants/<id>/
    collection: str = ""  # the root element of a fetched page (underscored)
    item: str = ""  # each object's element in it
    money: tuple[str, ...] = ()
    # (list, field) money inside the object, in the object's currency: a subscription's
    # add-ons and discounts are billed in the subscription's currency.
    nested_money: tuple[tuple[str, str], ...] = ()
    currency_field: str | None = "currency_iso_code"  # None: the entity has no currency
    cap: int = 10_000  # Braintree returns at most this many ids per search
    status_dates: tuple[str, ...] = ()  # search fields that move when the object changes
    # The search field a listing's windows go by, and so the time its cursor moves by (the
    # envelope's `created`): one field for both, or the next listing's window would start
    # from a time of another field.
    listed_by: str = "created_at"

    def currency(self, obj: dict[str, Any]) -> str | None:
        if self.name == "subscriptions":  # its currency is on its status events
            history = obj.get("status_history") or []
            last = history[-1] if history and isinstance(history[-1], dict) else {}
            return last.get("currency_iso_code")
        return obj.get(self.currency_field) if self.currency_field else None

    def problem(self, obj: Any) -> str | None:
        if not isinstance(obj, dict):
            return "not an XML object"
        if not isinstance(obj.get("id"), str) or not obj["id"]:
            return "no id"
        if braintree_time(obj.get("created_at")) is None:
            return "no created_at (or not a Braintree time)"
        if braintree_time(obj.get(self.listed_by)) is None:
            return f"no {self.listed_by} (or not a Braintree date)"
        currency = self.currency(obj)
        has_currency = self.currency_field or self.name == "subscriptions"
        if has_currency and (not isinstance(currency, str) or currency not in EXPONENTS):
            return f"unknown currency {currency!r}"
        for field in self.money:
            problem = money_problem(obj.get(field), currency, field)
            if problem:
                return problem
        for collection, field in self.nested_money:
            items = obj.get(collection) or []
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                return f"{collection} is not a list of objects"
            for item in items:
                problem = money_problem(item.get(field), currency, f"{collection}.{field}")
                if problem:
                    return problem
        return None

    def envelope(self, obj: dict[str, Any]) -> Envelope:
        """`created` is the listing's field (`listed_by`): the created_at listing's cursor
        moves by created_at, the disputes listing's by received_date."""
        listed = braintree_time(obj[self.listed_by])
        assert listed is not None
        return Envelope(obj["id"], listed, braintree_time(obj.get("updated_at")), obj)


OPEN_SUBSCRIPTIONS = ("Active", "Past Due", "Pending")

ENTITIES: dict[str, BraintreeEntity] = {
    e.name: e
    for e in (
        BraintreeEntity(
            "transactions",
            STATUS_DATES,
            "settled, voided, expired, returned, disbursed and disputed after creation, and no "
            "updated_at to search: every status-date field is searched over the lookback",
            order=CREATED_ASC,
            path="transactions",
            collection="credit_card_transactions",
            item="transaction",
            money=("amount",),
            cap=20_000,
            # every status-date range field of the SDK's TransactionSearch (created_at is
            # the listing's)
            status_dates=(
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
            ),
        ),
        BraintreeEntity(
            "disputes",
            STATUS_DATES,
            "disputed, won, lost or accepted weeks later: each status has its effective_date "
            "(and disbursement_date) in the status history, searched over the lookback",
            order=CREATED_ASC,
            listing=DISPUTE_PAGES,
            listed_by="received_date",  # DisputeSearch has no created_at
            path="disputes",
            collection="disputes",
            item="dispute",
            money=("amount", "amount_disputed", "amount_won"),
            status_dates=("effective_date", "disbursement_date"),
        ),
        BraintreeEntity(
            "subscriptions",
            OPEN_ROWS,
            "renewed, past due and canceled over months, and Braintree searches no status "
            "date of a subscription: rows still open are listed again until they close",
            order=CREATED_ASC,
            path="subscriptions",
            collection="subscriptions",
            item="subscription",
            money=("price", "balance", "next_bill_amount"),
            nested_money=(("add_ons", "amount"), ("discounts", "amount")),
            reopen_while=("status", OPEN_SUBSCRIPTIONS),
        ),
        BraintreeEntity(
            "customers",
            RELIST,
            "edited in place (email, custom fields) and searchable by creation only: listed "
            "whole on every run",
            order=CREATED_ASC,
            path="customers",
            collection="customers",
            item="customer",
            currency_field=None,
        ),
        BraintreeEntity(
            "plans",
            RELIST,
            "a small catalogue: listed whole on every run",
            order=CREATED_ASC,
            listing=CATALOGUE,
            path="plans",
            collection="plans",
            item="plan",
            money=("price",),
        ),
        BraintreeEntity(
            "add_ons",
            RELIST,
            "a small catalogue: listed whole on every run",
            order=CREATED_ASC,
            listing=CATALOGUE,
            path="add_ons",
            collection="add_ons",
            item="add_on",
            money=("amount",),
            currency_field=None,
        ),
        BraintreeEntity(
            "discounts",
            RELIST,
            "a small catalogue: listed whole on every run",
            order=CREATED_ASC,
            listing=CATALOGUE,
            path="discounts",
            collection="discounts",
            item="discount",
            money=("amount",),
            currency_field=None,
        ),
    )
}
