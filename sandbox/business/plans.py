"""The price list (tiers x intervals x currencies) and the coupon catalogue."""

from __future__ import annotations

from sandbox.business.clock import HISTORY_START
from sandbox.business.model import Coupon, Plan

TIERS = ("starter", "pro", "business")
# Monthly unit amount in minor units per currency; JPY is zero-decimal, KWD has 3 decimals.
MONTHLY = {
    "USD": {"starter": 1900, "pro": 4900, "business": 9900},
    "EUR": {"starter": 1800, "pro": 4500, "business": 9500},
    "GBP": {"starter": 1500, "pro": 3900, "business": 7900},
    "JPY": {"starter": 2500, "pro": 6800, "business": 14800},
    "KWD": {"starter": 6_000, "pro": 15_500, "business": 31_000},
}
YEARLY_MONTHS = 10  # a yearly plan costs ten months


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
