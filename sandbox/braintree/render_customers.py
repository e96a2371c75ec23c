"""Customers on their recorded shape (vault), carrying the company's ids in the custom fields
`external-id` and `vat-id`; and the catalogue: plans, add-ons, discounts.
"""

from __future__ import annotations

from lxml import etree

from sandbox.braintree import ids
from sandbox.braintree.render_transactions import split_name
from sandbox.braintree.shape import at, blank, child, empty_array, money, put


def customer(c, merchant_id: str) -> etree._Element:
    el = blank("customer")
    cid = ids.customer_id(c.id)
    first, last = split_name(c.name)
    put(el, "id", cid)
    put(el, "merchant-id", merchant_id)
    put(el, "first-name", first)
    put(el, "last-name", last)
    put(el, "company", c.name if c.is_business else None)
    put(el, "email", c.email)
    put(el, "created-at", at(c.created))
    put(el, "updated-at", at(c.created))
    put(el, "global-id", ids.global_id("customer", cid))
    fields = empty_array(el, "custom-fields")
    if getattr(c, "external_id", None):
        child(fields, "external-id", c.external_id)
    if c.tax_id:
        child(fields, "vat-id", c.tax_id)
    card = el.find("credit-cards/credit-card")
    empty_array(card, "verifications")
    token = ids.token(c.id)
    for root in (card, card.find("billing-address"), el.find("addresses/address")):
        if root.find("customer-id") is not None:
            put(root, "customer-id", cid)
        if root.find("created-at") is not None:
            put(root, "created-at", at(c.created))
            put(root, "updated-at", at(c.created))
    for address in (card.find("billing-address"), el.find("addresses/address")):
        put(address, "postal-code", c.postal_code)
        put(address, "locality", c.city)
        put(address, "region", c.state)
        put(address, "country-code-alpha2", c.country)
    put(card, "customer-global-id", ids.global_id("customer", cid))
    put(card, "token", token)
    put(card, "last-4", c.card.last4)
    put(card, "expiration-month", f"{c.card.exp_month:02d}")
    put(card, "expiration-year", str(c.card.exp_year))
    put(card, "unique-number-identifier", c.card.fingerprint)
    put(card, "global-id", ids.global_id("paymentmethod_cc", token))
    return el


def plan(p, merchant_id: str) -> etree._Element:
    el = blank("plan")
    put(el, "id", p.id)
    put(el, "merchant-id", merchant_id)
    put(el, "billing-frequency", 12 if p.interval == "year" else 1)
    put(el, "currency-iso-code", p.currency)
    put(el, "description", f"{p.product} ({p.interval}ly, {p.currency})")
    put(el, "name", f"{p.product} {p.interval}ly {p.currency}")
    put(el, "price", money(p.unit_amount, p.currency))
    put(el, "created-at", at(p.created))
    put(el, "updated-at", at(p.created))
    empty_array(el, "add-ons")
    empty_array(el, "discounts")
    return el


def add_on(p, merchant_id: str) -> etree._Element:
    el = blank("add_on")
    put(el, "amount", money(p.unit_amount, p.currency))
    put(el, "created-at", at(p.created))
    put(el, "description", f"{p.product} add-on ({p.currency})")
    put(el, "id", p.id)
    put(el, "merchant-id", merchant_id)
    put(el, "name", p.product)
    put(el, "updated-at", at(p.created))
    return el


def discount(coupon, merchant_id: str, created: int) -> etree._Element:
    """A coupon as a discount: Braintree discounts are amounts; a percent coupon's amount is
    worked out per subscription, so the catalogue entry carries 0 and says the percent."""
    el = blank("discount")
    currency = coupon.currency or "USD"
    put(el, "amount", money(coupon.amount_off or 0, currency))
    put(el, "created-at", at(coupon.created or created))
    put(el, "description", coupon.name)
    put(el, "id", coupon.id)
    put(el, "merchant-id", merchant_id)
    put(el, "name", coupon.name)
    put(el, "never-expires", coupon.duration == "forever")
    cycles = put(el, "number-of-billing-cycles", coupon.duration_in_months)
    if coupon.duration_in_months:
        cycles.set("type", "integer")
    put(el, "updated-at", at(coupon.created or created))
    return el
