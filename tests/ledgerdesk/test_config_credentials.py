"""Credentials as a mapping of the gateway's own names to environment variables, validated
by the gateway's module (a fake one with three credentials, registered for the test), the
`<file>: <key>: <problem>` errors, an old Stripe config with `api_key_env`, rate limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

import gateways.registry as registry
from gateways.stripe.module import MODULE as STRIPE
from ledgerdesk.config import ConfigError, load_settings


@dataclass(frozen=True)
class VaultModule:
    name: str = "vault"
    credentials: tuple[str, ...] = ("merchant_id", "public_key", "private_key")
    entities: dict = field(default_factory=dict)
    actions: frozenset = frozenset()
    default_api_base: str = "https://vault.invalid"
    feeds: tuple[str, ...] = ()

    def reader(self, account):
        raise NotImplementedError

    def check_account(self, account):
        # the gateway's own rule: a merchant id variable named like its merchants
        if not account.credentials["merchant_id"].startswith("VAULT_"):
            return [("credentials.merchant_id", "must name a VAULT_* variable")]
        return []


@pytest.fixture
def vault_registered(monkeypatch):
    monkeypatch.setattr(
        registry, "gateway_modules", lambda: {"stripe": STRIPE, "vault": VaultModule()}
    )


ENV = {"VAULT_MERCHANT": "m1", "VAULT_PUBLIC": "pub", "VAULT_PRIVATE": "priv", "OLD_KEY": "sk_1"}
VAULT = (
    "{gateway: vault, name: eu, credentials: {merchant_id: VAULT_MERCHANT, "
    "public_key: VAULT_PUBLIC, private_key: VAULT_PRIVATE}}"
)


def write(tmp_path: Path, accounts: str) -> Path:
    path = tmp_path / "ledgerdesk.yaml"
    path.write_text(f"accounts:\n  - {accounts}\n")
    return path


def test_a_gateway_with_several_credentials_resolves_each_when_asked(tmp_path, vault_registered):
    path = write(tmp_path, VAULT)
    (account,) = load_settings(path, ENV).accounts
    assert dict(account.credentials) == {
        "merchant_id": "VAULT_MERCHANT",
        "public_key": "VAULT_PUBLIC",
        "private_key": "VAULT_PRIVATE",
    }
    assert [account.secret(n) for n in VaultModule.credentials] == ["m1", "pub", "priv"]
    assert account.label == "vault account 'eu'"
    # resolved late: settings load without the secret, asking for it names file and key
    (late,) = load_settings(path, {"VAULT_MERCHANT": "m1"}).accounts
    with pytest.raises(ConfigError) as caught:
        late.secret("private_key")
    assert str(caught.value) == (
        f"{path.resolve()}: accounts[0].credentials.private_key: "
        "environment variable VAULT_PRIVATE is not set or empty"
    )


@pytest.mark.parametrize(
    ("account", "key", "problem"),
    [
        (
            "{gateway: vault, name: eu, "
            "credentials: {merchant_id: VAULT_MERCHANT, public_key: VAULT_PUBLIC}}",
            "accounts[0].credentials.private_key",
            "missing: name its environment variable",
        ),
        (
            VAULT[:-2] + ", pin: VAULT_PIN}}",
            "accounts[0].credentials.pin",
            "unknown credential (expected ['merchant_id', 'public_key', 'private_key'])",
        ),
        (
            "{gateway: vault, name: eu, "
            "credentials: {merchant_id: vault_merchant, public_key: A, private_key: B}}",
            "accounts[0].credentials.merchant_id",
            "must name an environment variable (UPPER_CASE)",
        ),
        (
            "{gateway: vault, name: eu, api_key_env: VAULT_MERCHANT}",
            "accounts[0].api_key_env",
            "this gateway needs credentials ['merchant_id', 'public_key', 'private_key']: "
            "use credentials: {...}",
        ),
        (
            "{gateway: vault, name: eu}",
            "accounts[0].credentials",
            "missing: name the environment variables of "
            "['merchant_id', 'public_key', 'private_key']",
        ),
        (
            "{gateway: vault, name: eu, "
            "credentials: {merchant_id: MERCHANT, public_key: A, private_key: B}}",
            "accounts[0].credentials.merchant_id",
            "must name a VAULT_* variable",
        ),
        (
            "{gateway: acme, name: eu}",
            "accounts[0].gateway",
            "must be one of ['stripe', 'vault']",
        ),
        (
            "{gateway: stripe, name: a, api_key_env: OLD_KEY, credentials: {api_key: OLD_KEY}}",
            "accounts[0].api_key_env",
            "give either api_key_env or credentials",
        ),
        (
            "{gateway: stripe, name: a, api_key_env: OLD_KEY, rate_limits: {per_second: 5}}",
            "accounts[0].rate_limits.per_second",
            "unknown key (expected ['per_path_per_second', 'total_per_second'])",
        ),
        (
            "{gateway: stripe, name: a, api_key_env: OLD_KEY, rate_limits: {total_per_second: 0}}",
            "accounts[0].rate_limits.total_per_second",
            "must be a positive number of requests a second",
        ),
    ],
)
def test_each_problem_names_the_file_and_the_key(tmp_path, vault_registered, account, key, problem):
    path = write(tmp_path, account)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, ENV)
    assert str(caught.value) == f"{path.resolve()}: {key}: {problem}"


def test_an_old_stripe_config_with_api_key_env_keeps_working(tmp_path):
    old = write(tmp_path, "{gateway: stripe, name: main, api_key_env: OLD_KEY}")
    (account,) = load_settings(old, ENV).accounts
    assert dict(account.credentials) == {"api_key": "OLD_KEY"}
    assert account.api_key_env == "OLD_KEY" and account.api_key == "sk_1"
    (unset,) = load_settings(old, {}).accounts
    with pytest.raises(
        ConfigError, match=r"accounts\[0\]\.api_key_env: environment variable OLD_KEY"
    ):
        unset.secret("api_key")
    new = write(tmp_path, "{gateway: stripe, name: main, credentials: {api_key: OLD_KEY}}")
    assert load_settings(new, ENV).accounts[0].credentials == account.credentials


def test_rate_limits_are_read_as_requests_a_second(tmp_path):
    path = write(
        tmp_path,
        "{gateway: stripe, name: a, api_key_env: OLD_KEY, "
        "rate_limits: {per_path_per_second: 25, total_per_second: 100}}",
    )
    (account,) = load_settings(path, ENV).accounts
    assert account.rate_limits == {"per_path_per_second": 25.0, "total_per_second": 100.0}
