"""PayPal's REST API as a local server, in its wire format, serving PayPal's share of the
sandbox business: OAuth token, Transaction Search, Subscriptions (plans, subscriptions and
their transactions), Payments v2 (captures, refunds, authorizations), Disputes and Invoicing v2.

`serve(store)` runs it (sandbox/paypal/server.py); `PayPalStore.from_business(...)` renders it.
"""
