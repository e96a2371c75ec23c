"""Ledgerdesk's tests (a package, so that `tests.*` is ours even where an installed
distribution ships a top-level `tests` package, as apimatic-core does)."""
