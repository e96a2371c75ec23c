"""One subscription's life: trial, renewals, plan changes with proration, churn.

Proration rule: for a change at time t inside [period_start, period_end), the unused fraction
is (period_end - t) / (period_end - period_start) in seconds; the credit line is
-round-half-up(old_unit * old_qty * fraction) and the charge line
+round-half-up(new_unit * new_qty * fraction), each computed exactly in integers and rounded
to a whole unit Stripe accepts (`plans.whole_unit`: whole kronur for ISK, a multiple of 100).
Upgrades are invoiced at once (billing_reason subscription_update); downgrades leave their two
proration lines pending for the next renewal invoice, as Stripe's default behaviour does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.business.billing import Books, build_invoice, half_up_div, settle
from sandbox.business.clock import DAY, HISTORY_END, add_months, period_end
from sandbox.business.model import (
    AddOn,
    Coupon,
    Customer,
    InvoiceLine,
    ItemPhase,
    Plan,
    StatusSpan,
    Subscription,
)
from sandbox.business.plans import REGIONS, TIERS, whole_unit

TIMES = "\u00d7"  # multiplication sign, as in Stripe's line descriptions
TRIAL_DAYS = 14
MONTHLY_CHURN = 0.02
YEARLY_CHURN = 0.22
CHANGE_PER_MONTH = 0.035
ONE_OFF = {"USD": 2500, "EUR": 2500, "GBP": 2000, "JPY": 3500, "KWD": 8_000, "ISK": 350_000}


def set_status(sub: Subscription, t: int, status: str) -> None:
    if sub.statuses and sub.statuses[-1].status == status:
        return
    if sub.statuses:
        sub.statuses[-1].end = t
    sub.statuses.append(StatusSpan(t, None, status))


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%-d %b %Y")


def _line(kind: str, desc: str, amount: int, qty: int, plan: Plan | None, start: int, end: int):
    return InvoiceLine("", kind, desc, amount, qty, plan, start, end)


def _proration_lines(old: ItemPhase, plan: Plan, qty: int, t: int, ps: int, pe: int) -> list:
    remaining, length = pe - t, pe - ps
    unit = whole_unit(plan.currency)
    credit = half_up_div(old.plan.unit_amount * old.quantity * remaining, length, unit)
    charge = half_up_div(plan.unit_amount * qty * remaining, length, unit)
    name_old, name_new = old.plan.product.title(), plan.product.title()
    return [
        _line("proration", f"Unused time on {name_old} {TIMES} {old.quantity} after {_day(t)}",
              -credit, old.quantity, old.plan, t, pe),
        _line("proration", f"Remaining time on {name_new} {TIMES} {qty} after {_day(t)}",
              charge, qty, plan, t, pe),
    ]  # fmt: skip


class Lifecycle:
    def __init__(
        self, books: Books, plans: dict[tuple[str, str, str], Plan],
        addon_plans: dict[tuple[str, str], Plan] | None = None, addon_quota: int = 0,
    ) -> None:  # fmt: skip
        self.books = books
        self.rng = books.rng
        self.plans = plans
        self.addon_plans = addon_plans or {}
        # Per (gateway, account): subscriptions still to get 11 or more add-ons there.
        self.addon_quota = addon_quota
        self.addon_left: dict[tuple[str, str], int] = {}
        self.subscriptions: list[Subscription] = []

    def coupon_for(self, sub: Subscription, at: int) -> Coupon | None:
        c = sub.coupon
        if c is None or sub.discount_start is None or at < sub.discount_start:
            return None
        if sub.discount_end is not None and at >= sub.discount_end:
            return None
        return c

    def run(
        self, customer: Customer, start: int, coupon: Coupon | None, reactivation: bool
    ) -> int | None:
        """Simulate one subscription; returns when it ended (None if alive at history end)."""
        rng, books = self.rng, self.books
        tier = rng.choices(TIERS, weights=(50, 35, 15))[0]
        interval = "year" if rng.random() < 0.12 else "month"
        plan = self.plans[(tier, interval, customer.currency)]
        qty = rng.randint(2, 12) if tier == "business" else 1
        sub = Subscription(books.next_id("sub"), books.next_id("si"), customer, start)
        sub.is_reactivation = reactivation
        self.subscriptions.append(sub)
        if coupon is not None:
            sub.coupon, sub.discount_start = coupon, start
            if coupon.duration == "repeating":
                sub.discount_end = add_months(start, coupon.duration_in_months or 1)
        sub.phases.append(ItemPhase(start, None, plan, qty))
        where = (customer.gateway, customer.account)
        left = self.addon_left.setdefault(where, self.addon_quota)
        if left > 0 and interval == "month" and tier != "starter" and not reactivation:
            self.addon_left[where] = left - 1
            for region in rng.sample(REGIONS, rng.randint(11, len(REGIONS))):
                addon = self.addon_plans[(region, customer.currency)]
                phase = ItemPhase(start, None, addon, rng.randint(1, 4))
                sub.addons.append(AddOn(books.next_id("si"), phase))
        fail_prone = 0.02 if rng.random() < 0.7 else 0.2
        period_start, reason = start, "subscription_create"
        if not reactivation and not sub.addons and rng.random() < 0.35:
            trial_end = start + TRIAL_DAYS * DAY
            sub.trial_start, sub.trial_end = start, trial_end
            set_status(sub, start, "trialing")
            name = f"Trial period for {plan.product.title()}"
            line = _line("subscription", name, 0, qty, plan, start, trial_end)
            settle(books, build_invoice(books, customer, sub, reason, start, [line], None), 0)
            sub.current_period_start, sub.current_period_end = start, trial_end
            if trial_end > HISTORY_END:
                return None
            if rng.random() < 0.4:  # trial not converted
                return self._end(sub, trial_end, trial_end, "cancellation_requested")
            period_start, reason = trial_end, "subscription_cycle"
        pending: list[InvoiceLine] = []
        while period_start <= HISTORY_END:
            phase = sub.phases[-1]
            plan, qty = phase.plan, phase.quantity
            pe = period_end(period_start, plan.interval)
            desc = f"{qty} {TIMES} {plan.product.title()} (at {plan.unit_amount} / {plan.interval})"
            lines = [*pending, _line("subscription", desc, plan.unit_amount * qty, qty, plan,
                                     period_start, pe)]  # fmt: skip
            for addon in sub.addons:
                a_plan, a_qty = addon.phase.plan, addon.phase.quantity
                a_desc = f"{a_qty} {TIMES} Workspace {a_plan.product[10:]} (at {a_plan.unit_amount}"
                line = _line("subscription", f"{a_desc} / month)", a_plan.unit_amount * a_qty,
                             a_qty, a_plan, period_start, pe)  # fmt: skip
                line.item_id = addon.item_id
                lines.append(line)
            pending = []
            if rng.random() < 0.03:
                extra = ONE_OFF[customer.currency]
                lines.append(_line("one_off", "Priority onboarding session", extra, 1, None,
                                   period_start, period_start))  # fmt: skip
            coupon_now = self.coupon_for(sub, period_start)
            invoice = build_invoice(books, customer, sub, reason, period_start, lines, coupon_now)
            if coupon_now is not None and coupon_now.duration == "once":
                sub.discount_end = period_start + 1
            reason = "subscription_cycle"
            sub.current_period_start, sub.current_period_end = period_start, pe
            if not self._pay(sub, invoice, fail_prone, period_start):
                return None if invoice.status == "open" else sub.ended_at
            months = 12 if plan.interval == "year" else 1
            churn = YEARLY_CHURN if plan.interval == "year" else MONTHLY_CHURN
            if rng.random() < CHANGE_PER_MONTH * months:
                t = rng.randint(period_start + DAY, pe - DAY)
                if t <= HISTORY_END:
                    pending = self._change(sub, t, period_start, pe, fail_prone)
                    if sub.ended_at is not None or sub.status == "past_due":
                        return sub.ended_at
            elif rng.random() < churn:
                t = rng.randint(period_start + DAY, pe - DAY)
                if t <= HISTORY_END:
                    return self._cancel(sub, t, pe)
            period_start = pe
        return None

    def _pay(self, sub: Subscription, invoice, fail_prone: float, due: int) -> bool:
        outcome, at = settle(self.books, invoice, fail_prone)
        if outcome == "paid":
            if at > due + 60:
                set_status(sub, due, "past_due")
            set_status(sub, at if at > due + 60 else due, "active")
            return True
        set_status(sub, due, "past_due")
        if outcome == "failed":
            self._end(sub, at, at, "payment_failed")
        return False

    def _change(self, sub: Subscription, t: int, ps: int, pe: int, fail_prone: float) -> list:
        old = sub.phases[-1]
        i = TIERS.index(old.plan.product)
        up = i == 0 or (i < len(TIERS) - 1 and self.rng.random() < 0.6)
        tier = TIERS[i + 1] if up else TIERS[i - 1]
        plan = self.plans[(tier, old.plan.interval, old.plan.currency)]
        qty = self.rng.randint(2, 12) if tier == "business" else 1
        old.end = t
        sub.phases.append(ItemPhase(t, None, plan, qty))
        lines = _proration_lines(old, plan, qty, t, ps, pe)
        if not up:
            return lines
        books = self.books
        invoice = build_invoice(
            books, sub.customer, sub, "subscription_update", t, lines, self.coupon_for(sub, t)
        )
        self._pay(sub, invoice, fail_prone, t)
        return []

    def _cancel(self, sub: Subscription, t: int, pe: int) -> int | None:
        if self.rng.random() < 0.75:
            sub.cancel_at_period_end, sub.cancel_at, sub.canceled_at = True, pe, t
            sub.cancellation_reason = "cancellation_requested"
            if pe > HISTORY_END:
                return None
            return self._end(sub, t, pe, "cancellation_requested")
        return self._end(sub, t, t, "cancellation_requested")

    def _end(self, sub: Subscription, canceled_at: int, ended_at: int, reason: str) -> int:
        sub.canceled_at, sub.ended_at, sub.cancellation_reason = canceled_at, ended_at, reason
        sub.phases[-1].end = ended_at
        for addon in sub.addons:
            addon.phase.end = ended_at
        set_status(sub, ended_at, "canceled")
        return ended_at
