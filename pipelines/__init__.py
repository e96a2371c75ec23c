"""Ledgerdesk's Dagster code location."""
