"""The price list (tiers x intervals x currencies) and the coupon catalogue."""

from __future__ import annotations

from decimal import Decimal

from ledgerdesk.money import exponent
from sandbox.business.clock import HISTORY_START
from sandbox.business.model import Coupon, Plan

TIERS = ("starter", "pro", "business")
# Monthly price in MAJOR units (whole dollars, yen, kronur...) as the price list shows it.
MONTHLY_MAJOR = {
    "USD": {"starter": "19", "pro": "49", "business": "99"},
    "EUR": {"starter": "18", "pro": "45", "business": "95"},
    "GBP": {"starter": "15", "pro": "39", "business": "79"},
    "JPY": {"starter": "2500", "pro": "6800", "business": "14800"},
    "KWD": {"starter": "6", "pro": "15.5", "business": "31"},
    "ISK": {"starter": "2700", "pro": "6900", "business": "13900"},
}
YEARLY_MONTHS = 10  # a yearly plan costs ten months


def stripe_exponent(currency: str) -> int:
    """As Stripe's API counts amounts (not always ISO 4217: ISK is two-decimal on Stripe)."""
    return exponent(currency, gateway="stripe")


def whole_unit(currency: str) -> int:
    """Stripe's minor units per ISO 4217 minor unit where Stripe counts finer than ISO: 100 for
    ISK and UGX (two-decimal on Stripe, the decimals always 00), else 1. Stripe accepts an ISK
    amount only in whole kronur, i.e. a multiple of 100 ("Currency ISK has become effectively
    zero-decimal and charged amounts must be evenly divisible by 100", Stripe support: the
    deprecation of fractional ISK charges, 2023-04-14)."""
    shift = stripe_exponent(currency) - exponent(currency)
    return 10**shift if shift > 0 else 1


def to_minor(major: str, currency: str) -> int:
    """Exact: "15.5" KWD -> 15500; "2700" ISK -> 270000 (Stripe's two decimals)."""
    value = Decimal(major).scaleb(stripe_exponent(currency))
    if value != value.to_integral_value():
        raise ValueError(f"{major} {currency} is not a whole number of minor units")
    return int(value)


MONTHLY = {
    cur: {tier: to_minor(price, cur) for tier, price in prices.items()}
    for cur, prices in MONTHLY_MAJOR.items()
}


# Monthly workspace add-ons, one per region: a few subscriptions carry more of them than fit
# the first page of an embedded `items` list (10), so that `has_more` must be followed.
REGIONS = ("us-east", "us-west", "eu-west", "eu-central", "uk", "nordics", "japan", "india",
           "brazil", "australia", "singapore", "canada", "iceland")  # fmt: skip
ADDON_MAJOR = {"USD": "5", "EUR": "5", "GBP": "4", "JPY": "700", "KWD": "1.5", "ISK": "700"}


def build_addon_plans() -> dict[tuple[str, str], Plan]:
    """(region, currency) -> the monthly add-on plan."""
    return {
        (region, cur): Plan(f"workspace-{region}-month-{cur.lower()}", f"workspace-{region}",
                            "month", cur, to_minor(price, cur), HISTORY_START)
        for cur, price in ADDON_MAJOR.items()
        for region in REGIONS
    }  # fmt: skip


def build_plans() -> list[Plan]:
    plans = []
    for currency, prices in MONTHLY.items():
        for tier in TIERS:
            for interval in ("month", "year"):
                amount = prices[tier] * (YEARLY_MONTHS if interval == "year" else 1)
                plan_id = f"{tier}-{interval}-{currency.lower()}"
                plans.append(Plan(plan_id, tier, interval, currency, amount, HISTORY_START))
    return plans


def build_coupons() -> list[Coupon]:
    coupons = [
        Coupon("welcome20", "Welcome 20% (3 months)", "repeating", 3, percent_off=20),
        Coupon("launch50", "Launch 50% first invoice", "once", None, percent_off=50),
        Coupon("partner15", "Partner 15% forever", "forever", None, percent_off=15),
    ]
    # Amount-off coupons carry a currency; one per currency, worth about ten dollars.
    for currency, amount in (("USD", 1000), ("EUR", 1000), ("GBP", 800), ("JPY", 1500)):
        coupons.append(
            Coupon(
                f"tenoff-{currency.lower()}",
                f"{amount} {currency} off first invoice",
                "once",
                None,
                amount_off=amount,
                currency=currency,
            )
        )
        coupons.append(
            Coupon(
                f"loyal-{currency.lower()}",
                f"{amount // 2} {currency} off forever",
                "forever",
                None,
                amount_off=amount // 2,
                currency=currency,
            )
        )
    for c in coupons:
        c.created = HISTORY_START
    return coupons
