"""A local server that speaks Stripe's REST API (2026-10-28.endive) over a generated history."""
