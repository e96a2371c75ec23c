"""`share(business, gateway, account)`: the part of the business one gateway account serves.

The same dataclasses, filtered to the customers on that (gateway, account) and every object
they own (subscriptions, invoices, payment intents, charges, refunds, disputes, credit notes);
plans, coupons and tax rates are kept whole (a catalogue, not a customer's). Its `totals` are
`compute_totals` over the share alone, so they are what that account's warehouse must show;
`business.totals["by_account"][(gateway, account)]` holds the same figures (the share's own
`by_account`, its one account again, left out).
"""

from __future__ import annotations

from dataclasses import replace

from sandbox.business.model import Business


def accounts_of(business: Business) -> list[tuple[str, str]]:
    """Every (gateway, account) that has at least one customer, in a stable order."""
    return sorted({(c.gateway, c.account) for c in business.customers})


def share(business: Business, gateway: str, account: str) -> Business:
    from sandbox.business.totals import compute_totals

    sub = filtered(business, gateway, account)
    sub.totals = compute_totals(sub)
    return sub


def filtered(business: Business, gateway: str, account: str) -> Business:
    """The share without its totals (`totals` empty)."""

    def mine(customer) -> bool:
        return customer.gateway == gateway and customer.account == account

    return replace(
        business,
        customers=[c for c in business.customers if mine(c)],
        subscriptions=[s for s in business.subscriptions if mine(s.customer)],
        invoices=[i for i in business.invoices if mine(i.customer)],
        payment_intents=[p for p in business.payment_intents if mine(p.customer)],
        charges=[c for c in business.charges if mine(c.customer)],
        refunds=[r for r in business.refunds if mine(r.charge.customer)],
        disputes=[d for d in business.disputes if mine(d.charge.customer)],
        credit_notes=[n for n in business.credit_notes if mine(n.invoice.customer)],
        totals={},
    )
