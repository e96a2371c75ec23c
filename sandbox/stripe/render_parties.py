"""Customers, their tax ids, and the tax rates, as Stripe objects."""

from __future__ import annotations

from decimal import Decimal

from sandbox.business.model import Customer, TaxRate
from sandbox.business.tax import EU_VAT, SELLER_COUNTRY
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_shapes import fresh


def address(customer: Customer) -> dict:
    return {
        "city": customer.city,
        "country": customer.country,
        "line1": f"{(int(customer.id[1:]) * 7) % 200 + 1} Market Street",
        "line2": None,
        "postal_code": customer.postal_code,
        "state": customer.state,
    }


def invoice_prefix(customer: Customer) -> str:
    return f"{(int(customer.id[1:]) * 2654435761) % 16**8:08X}"


def is_reverse_charge(customer: Customer) -> bool:
    return (
        customer.is_business
        and customer.tax_id is not None
        and customer.country in EU_VAT
        and customer.country != SELLER_COUNTRY
    )


def render_customer(c: Customer, ids: StripeIds, invoice_count: int, delinquent: bool) -> dict:
    obj = fresh("customer")
    obj.update(
        id=ids.of("cus", c.id),
        address=address(c),
        balance=c.balance,
        created=c.created,
        currency=c.currency.lower(),
        delinquent=delinquent,
        discount=None,
        email=c.email,
        invoice_prefix=invoice_prefix(c),
        name=c.name,
        next_invoice_sequence=invoice_count + 1,
        preferred_locales=[],
        shipping=None,
        tax_exempt="reverse" if is_reverse_charge(c) else "none",
    )
    settings = obj["invoice_settings"]
    settings["default_payment_method"] = ids.of("pm", c.id)
    if c.external_id:  # the company's own user id, as merchants keep it in metadata
        obj["metadata"] = {**obj.get("metadata", {}), "external_id": c.external_id}
    return obj


def render_tax_id(c: Customer, ids: StripeIds) -> dict:
    obj = fresh("tax_id")
    cus = ids.of("cus", c.id)
    obj.update(
        id=ids.of("txi", c.id),
        country=c.country,
        created=c.created,
        customer=cus,
        owner={"customer": cus, "type": "customer", "customer_account": None},
        type=c.tax_id_type,
        value=c.tax_id,
        verification={"status": "verified", "verified_address": None, "verified_name": c.name},
    )
    return obj


def percentage_number(text: str) -> int | float:
    """Stripe sends a rate as a JSON number; whole rates as integers ("20" -> 20)."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def render_tax_rate(rate: TaxRate, ids: StripeIds) -> dict:
    obj = fresh("tax_rate")
    pct = percentage_number(rate.percentage)
    where = f"{rate.country}-{rate.state}" if rate.state else rate.country
    obj.update(
        id=ids.of("txr", rate.id),
        country=rate.country,
        created=rate.created,
        description=f"{rate.display_name} {where}",
        display_name=rate.display_name,
        effective_percentage=pct,
        jurisdiction=where,
        jurisdiction_level="state" if rate.state else "country",
        percentage=pct,
        state=rate.state,
        tax_type=rate.tax_type,
        flat_amount=None,
        rate_type="percentage",
    )
    obj["metadata"] = {"reverse_charge": "true"} if rate.reverse_charge else {}
    return obj
