"""A local Braintree gateway: its XML API, serving one merchant account's share of the
sandbox business (`serve(BraintreeStore(braintree_share(generate(...))))`)."""
