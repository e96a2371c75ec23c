"""The Stripe sandbox for gateway tests (small scale, a fresh store per test)."""

from __future__ import annotations

from ledgerdesk.config import GatewayAccount


def make_account(api_base: str, key: str = "sk_test_ledgerdesk_sandbox") -> GatewayAccount:
    return GatewayAccount(
        gateway="stripe",
        name="main",
        api_key_env="TEST_STRIPE_KEY",
        api_key=key,
        default_currency="USD",
        api_base=api_base,
    )
