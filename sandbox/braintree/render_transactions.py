"""Sales and credits (refunds) as Braintree transactions, on the recorded transaction shape.

A charge is a sale; its life is the `status-history` (authorized, submitted_for_settlement,
settled; processor_declined; settlement_pending for a bank debit; voided for an
authorization released before it expires, authorization_expired at its expiry for one never
captured nor released before it, once the business's clock is past it), the status-date
search fields come from it. A refund is a second transaction
of type credit with `refunded-transaction-id`, listed in the sale's `refund-ids`. A refund
Stripe records for releasing an authorization has no Braintree counterpart: the void is it.
"""

from __future__ import annotations

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree.shape import at, blank, child, day, empty_array, money, put
from sandbox.business.clock import AUTH_EXPIRES, HISTORY_END

DAY = 86_400
CARD_TYPES = {
    "visa": "Visa",
    "mastercard": "MasterCard",
    "amex": "American Express",
    "discover": "Discover",
    "jcb": "JCB",
}
DECLINES = {
    "insufficient_funds": ("2001", "Insufficient Funds"),
    "expired_card": ("2004", "Expired Card"),
    "incorrect_cvc": ("2010", "Card Issuer Declined CVV"),
}
DO_NOT_HONOR = ("2000", "Do Not Honor")
GATEWAY_EVENTS = ("settled", "authorization_expired")  # no user made these: no `user`


def merchant_account(currency: str) -> str:
    return f"ledgerdesk_{currency.lower()}"


def split_name(name: str) -> tuple[str, str | None]:
    parts = name.strip().split()
    if not parts:
        return name, None
    return parts[0], " ".join(parts[1:]) or None


def sale_events(charge) -> list[tuple[int, str]]:
    """(time, status) of a charge's life, as Braintree's status history records it."""
    t0 = charge.created
    if charge.status == "failed":
        return [(t0, "processor_declined")]
    if charge.method != "card" and charge.status == "pending":
        return [(t0, "authorized"), (t0, "submitted_for_settlement"), (t0, "settlement_pending")]
    if not charge.captured:
        # Voided if released before it expires; else Braintree expires it, once the
        # business's clock (the end of its history) is past the expiry.
        events = [(t0, "authorized")]
        expires = t0 + AUTH_EXPIRES
        if charge.released_at is not None and charge.released_at < expires:
            events.append((charge.released_at, "voided"))
        elif expires <= HISTORY_END:
            events.append((expires, "authorization_expired"))
        return events
    submitted = charge.captured_at or t0
    events = [(t0, "authorized"), (submitted, "submitted_for_settlement")]
    if charge.status == "succeeded":
        events.append((submitted + DAY // 2, "settled"))
    return events


def refund_events(refund) -> list[tuple[int, str]]:
    events: list[tuple[int, str]] = [(refund.created, "submitted_for_settlement")]
    for t, status in refund.history or [(refund.created, refund.status)]:
        if status == "succeeded":
            events.append((max(t, refund.created) + DAY // 2, "settled"))
        elif status == "failed":
            settled = any(s == "settled" for _, s in events)
            events.append((t, "settlement_declined" if settled else "failed"))
        elif status == "canceled":
            events.append((t, "voided"))
    return events


def _fill(el, *, txn_id, kind, amount, currency, created, events, customer, card_of, extra):
    status = events[-1][1]
    put(el, "id", txn_id)
    put(el, "status", status)
    put(el, "type", kind)
    put(el, "currency-iso-code", currency)
    put(el, "amount", money(amount, currency))
    put(el, "merchant-account-id", merchant_account(currency))
    put(el, "order-id", extra.get("order_id"))
    put(el, "created-at", at(created))
    put(el, "updated-at", at(max(t for t, _ in events)))
    first, last = split_name(customer.name)
    put(el, "customer/id", ids.customer_id(customer.id))
    put(el, "customer/first-name", first)
    put(el, "customer/last-name", last)
    put(el, "customer/company", customer.name if customer.is_business else None)
    put(el, "customer/email", customer.email)
    put(el, "billing/postal-code", customer.postal_code)
    put(el, "billing/country-code-alpha2", customer.country)
    card = card_of
    put(el, "credit-card/token", ids.token(customer.id))
    put(el, "credit-card/bin", "411111" if card.brand == "visa" else "555555")
    put(el, "credit-card/last-4", card.last4)
    put(el, "credit-card/card-type", CARD_TYPES.get(card.brand, "Unknown"))
    put(el, "credit-card/expiration-month", f"{card.exp_month:02d}")
    put(el, "credit-card/expiration-year", str(card.exp_year))
    put(el, "credit-card/customer-location", "US" if card.country == "US" else "International")
    put(el, "credit-card/cardholder-name", customer.name)
    put(el, "credit-card/unique-number-identifier", card.fingerprint)
    history = empty_array(el, "status-history")
    for t, s in events:
        event = etree.SubElement(history, "status-event")
        child(event, "timestamp", at(t), "datetime")
        child(event, "status", s)
        child(event, "amount", money(amount, currency))
        child(event, "user", None if s in GATEWAY_EVENTS else "ledgerdesk")
        child(event, "transaction-source", "recurring" if extra.get("recurring") else "api")
    declined = status in ("processor_declined", "failed")
    code, text = extra.get("decline", DO_NOT_HONOR) if declined else ("1000", "Approved")
    put(el, "processor-response-code", code)
    put(el, "processor-response-text", text)
    put(el, "processor-response-type", "soft_declined" if declined else "approved")
    put(el, "processor-authorization-code", None if declined else txn_id[:6].upper())
    put(el, "recurring", bool(extra.get("recurring")))
    put(el, "global-id", ids.global_id("transaction", txn_id))
    put(el, "network-transaction-id", None if declined else f"0{created}")
    put(el, "authorization-expires-at", None if declined else at(created + AUTH_EXPIRES))
    settled = next((t for t, s in events if s == "settled"), None)
    batch = f"{day(settled)}_{merchant_account(currency)}" if settled else None
    put(el, "settlement-batch-id", batch)
    details = {
        "disbursement-date": day(settled + DAY) if settled else None,
        "settlement-amount": money(amount, currency) if settled else None,
        "settlement-currency-iso-code": currency if settled else None,
        "settlement-currency-exchange-rate": "1" if settled else None,
        "funds-held": False if settled else None,
        "success": True if settled else None,
    }
    types = {"disbursement-date": "date", "funds-held": "boolean", "success": "boolean"}
    for name, value in details.items():
        field = put(el, f"disbursement-details/{name}", value)
        if value is None:
            field.attrib.pop("type", None)
        elif name in types:
            field.set("type", types[name])
    return el


def _set_subscription(el, sub_id, plan_id, period):
    put(el, "plan-id", plan_id)
    put(el, "subscription-id", sub_id)
    if period:
        for name, value in zip(
            ("billing-period-start-date", "billing-period-end-date"), period, strict=False
        ):
            put(el, f"subscription/{name}", day(value)).set("type", "date")


def sale(charge) -> etree._Element:
    el = blank("transaction")
    invoice = charge.payment_intent.invoice if charge.payment_intent else None
    sub = invoice.subscription if invoice is not None else None
    extra = {
        "order_id": invoice.number if invoice is not None else None,
        "recurring": sub is not None,
        "decline": DECLINES.get(charge.failure_code or "", DO_NOT_HONOR),
    }
    _fill(
        el,
        txn_id=ids.transaction_id(charge.id),
        kind="sale",
        amount=charge.amount,
        currency=charge.currency,
        created=charge.created,
        events=sale_events(charge),
        customer=charge.customer,
        card_of=charge.card,
        extra=extra,
    )
    if charge.method != "card":
        put(el, "payment-instrument-type", "us_bank_account")
    if sub is not None:
        phase = sub.phase_at(invoice.period_start) or sub.phases[0]
        _set_subscription(
            el,
            ids.subscription_id(sub.id),
            phase.plan.id,
            (invoice.period_start, invoice.period_end),
        )
    refunds = [r for r in charge.refunds if not r.is_release]
    refund_ids = empty_array(el, "refund-ids")
    for refund in refunds:
        child(refund_ids, "item", ids.transaction_id(refund.id))
    if refunds:
        put(el, "refund-id", ids.transaction_id(refunds[-1].id))
    return el


def credit(refund) -> etree._Element:
    el = blank("transaction")
    charge = refund.charge
    _fill(
        el,
        txn_id=ids.transaction_id(refund.id),
        kind="credit",
        amount=refund.amount,
        currency=refund.currency,
        created=refund.created,
        events=refund_events(refund),
        customer=charge.customer,
        card_of=charge.card,
        extra={},
    )
    put(el, "refunded-transaction-id", ids.transaction_id(charge.id))
    put(el, "authorization-expires-at", None)
    return el
