"""Subscriptions (with their items, prices and plans) as Stripe objects, state at history end.

`items` embeds every item (has_more false, total_count): the rendering is the complete
object, as the extraction lands it after paging; on the wire the server sends the first page
(10, has_more true for the subscriptions with more add-ons) and serves the rest at
/v1/subscription_items?subscription=.
"""

from __future__ import annotations

from sandbox.business.clock import HISTORY_END
from sandbox.business.model import ItemPhase, Plan, Subscription
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_shapes import fresh, list_object


def render_price(plan: Plan, ids: StripeIds) -> dict:
    obj = fresh("price")
    obj.update(
        id=ids.of("price", plan.id),
        created=plan.created,
        currency=plan.currency.lower(),
        custom_unit_amount=None,
        lookup_key=plan.id,
        nickname=f"{plan.product.title()} {plan.interval}ly",
        product=ids.of("prod", plan.product),
        recurring={
            "interval": plan.interval,
            "interval_count": 1,
            "meter": None,
            "usage_type": "licensed",
            "trial_period_days": None,
        },
        tax_behavior="exclusive",
        transform_quantity=None,
        unit_amount=plan.unit_amount,
        unit_amount_decimal=str(plan.unit_amount),
    )
    return obj


def render_plan(plan: Plan, ids: StripeIds) -> dict:
    obj = fresh("plan")
    obj.update(
        id=ids.of("price", plan.id),
        amount=plan.unit_amount,
        amount_decimal=str(plan.unit_amount),
        billing_scheme="per_unit",
        created=plan.created,
        currency=plan.currency.lower(),
        interval=plan.interval,
        interval_count=1,
        livemode=False,
        metadata={},
        nickname=f"{plan.product.title()} {plan.interval}ly",
        product=ids.of("prod", plan.product),
        transform_usage=None,
    )
    return obj


def discount_id(sub: Subscription, ids: StripeIds) -> str:
    return ids.of("di", sub.id)


def discount_active_at_end(sub: Subscription) -> bool:
    if sub.coupon is None or sub.ended_at is not None:
        return False
    return sub.discount_end is None or sub.discount_end > HISTORY_END


def _item(sub: Subscription, item_id: str, phase: ItemPhase, ids: StripeIds, sid: str) -> dict:
    item = fresh("subscription_item")
    item.update(
        id=ids.of("si", item_id),
        created=sub.created,
        discounts=[],
        price=render_price(phase.plan, ids),
        plan=render_plan(phase.plan, ids),
        quantity=phase.quantity,
        subscription=sid,
        tax_rates=[],
        current_period_start=sub.current_period_start,
        current_period_end=sub.current_period_end,
        billing_thresholds=None,
    )
    return item


def render_subscription(sub: Subscription, ids: StripeIds) -> dict:
    obj = fresh("subscription")
    sid = ids.of("sub", sub.id)
    phase = sub.phases[-1]
    items = [_item(sub, sub.item_id, phase, ids, sid)]
    items += [_item(sub, a.item_id, a.phase, ids, sid) for a in sub.addons]
    reason = sub.cancellation_reason
    obj.update(
        id=sid,
        automatic_tax={"enabled": False, "liability": None, "disabled_reason": None},
        billing_cycle_anchor=sub.trial_end or sub.created,
        billing_cycle_anchor_config=None,
        cancel_at=sub.cancel_at,
        canceled_at=sub.canceled_at,
        cancellation_details={"comment": None, "feedback": None, "reason": reason},
        created=sub.created,
        currency=phase.plan.currency.lower(),
        customer=ids.of("cus", sub.customer.id),
        default_payment_method=ids.of("pm", sub.customer.id),
        discounts=[discount_id(sub, ids)] if discount_active_at_end(sub) else [],
        ended_at=sub.ended_at,
        items=list_object(items, f"/v1/subscription_items?subscription={sid}", with_count=True),
        latest_invoice=ids.of("in", sub.latest_invoice) if sub.latest_invoice else None,
        next_pending_invoice_item_invoice=None,
        pause_collection=None,
        payment_settings={
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        pending_invoice_item_interval=None,
        pending_update=None,
        start_date=sub.created,
        status=sub.status,
        transfer_data=None,
        trial_end=sub.trial_end,
        trial_start=sub.trial_start,
        cancel_at_period_end=sub.cancel_at_period_end,
        billing_thresholds=None,
        billing_mode={"type": "classic", "flexible": None},
        managed_payments=None,
        billing_schedules=[],
    )
    obj["metadata"] = {"reactivation": "true"} if sub.is_reactivation else {}
    return obj
