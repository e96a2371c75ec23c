"""PayPal's share of the business: `sandbox.business.shares.share(business, "paypal", account)`.

Until the business assigns customers to gateways (R2's `shares`), an interim filter stands
in: every tenth customer paying in a currency PayPal takes, with its own totals.
"""

from __future__ import annotations

from dataclasses import replace

from sandbox.business.model import Business

PAYPAL_TAKES = frozenset({"USD", "EUR", "GBP", "JPY", "AUD", "CAD"})


def paypal_share(business: Business, account: str = "sandbox") -> Business:
    try:
        from sandbox.business.shares import share
    except ImportError:
        return _interim(business)
    return share(business, "paypal", account)


def _interim(business: Business) -> Business:
    from sandbox.business.totals import compute_totals

    mine = {
        c.id for n, c in enumerate(business.customers) if c.currency in PAYPAL_TAKES and n % 10 == 3
    }
    sub = replace(
        business,
        customers=[c for c in business.customers if c.id in mine],
        subscriptions=[s for s in business.subscriptions if s.customer.id in mine],
        invoices=[i for i in business.invoices if i.customer.id in mine],
        payment_intents=[p for p in business.payment_intents if p.customer.id in mine],
        charges=[c for c in business.charges if c.customer.id in mine],
        refunds=[r for r in business.refunds if r.charge.customer.id in mine],
        disputes=[d for d in business.disputes if d.charge.customer.id in mine],
        credit_notes=[],
        totals={},
    )
    sub.totals = compute_totals(sub)
    return sub
