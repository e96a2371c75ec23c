"""Helpers shared by the Dagster definitions."""
