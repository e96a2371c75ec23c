"""Ledgerdesk core: configuration and money rules shared by every part of the project."""
