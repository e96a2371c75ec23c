"""Stripe sandbox fixtures: a small history built from Stripe's own example objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stripe

from sandbox.stripe.app import DEFAULT_API_KEY
from sandbox.stripe.examples import example_objects
from sandbox.stripe.server import SandboxServer, serve
from sandbox.stripe.store import StripeStore

FIXTURES = Path(__file__).resolve().parents[1] / "specs" / "stripe" / "fixtures3.json"

stripe.enable_telemetry = False


@pytest.fixture(scope="session")
def stripe_resources() -> dict:
    return json.loads(FIXTURES.read_text())["resources"]


@pytest.fixture(scope="session")
def stripe_objects(stripe_resources) -> dict[str, list[dict]]:
    return example_objects(stripe_resources, n=30)


@pytest.fixture
def stripe_server(stripe_objects) -> SandboxServer:
    """A fresh server per test: writes change its store. Tests must not change the objects."""
    with serve(StripeStore(stripe_objects, clock=lambda: 1_800_000_000)) as server:
        yield server


@pytest.fixture
def stripe_client(stripe_server) -> stripe.StripeClient:
    return stripe.StripeClient(
        DEFAULT_API_KEY, base_addresses={"api": stripe_server.url}, max_network_retries=0
    )
