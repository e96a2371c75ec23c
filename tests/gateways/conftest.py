"""The Stripe sandbox for gateway tests (small scale, a fresh store per test)."""

from __future__ import annotations

import pytest

from ledgerdesk.config import GatewayAccount
from sandbox.business import generate
from sandbox.stripe.render import render_business
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore


@pytest.fixture(scope="session")
def rendered():
    return render_business(generate(seed=42, scale=0.05))


@pytest.fixture
def store(rendered):
    return StripeStore(rendered)


@pytest.fixture
def sandbox(store):
    with serve(store) as server:
        yield server


def make_account(api_base: str, key: str = "sk_test_ledgerdesk_sandbox") -> GatewayAccount:
    return GatewayAccount(
        gateway="stripe",
        name="main",
        api_key_env="TEST_STRIPE_KEY",
        api_key=key,
        default_currency="USD",
        api_base=api_base,
    )
