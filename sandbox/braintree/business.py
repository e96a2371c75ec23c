"""The part of the shared business this Braintree account serves.

`share(business, "braintree", account)` once the business assigns customers to gateways
(sandbox.business.shares); before that, a stand-in: customers paying in a currency Braintree
takes, one in five by a stable hash of their id, with every object they own.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from sandbox.braintree.shape import EXPONENTS


def braintree_share(business, account: str = "sandbox"):
    try:
        from sandbox.business.shares import share
    except ImportError:
        return _stand_in(business)
    return share(business, "braintree", account)


def _stand_in(business):
    from sandbox.business.totals import compute_totals

    def mine(c) -> bool:
        digest = hashlib.sha1(c.id.encode()).digest()[0]
        return c.currency in EXPONENTS and digest % 5 == 0

    sub = replace(
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
    sub.totals = compute_totals(sub)
    return sub
