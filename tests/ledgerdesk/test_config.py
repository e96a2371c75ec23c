from pathlib import Path

import pytest

from ledgerdesk.config import DEFAULT_CONFIG, ConfigError, load_settings

ENV = {"LEDGERDESK_STRIPE_SANDBOX_KEY": "sk_test_x", "STRIPE_EU_KEY": "sk_test_eu"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ledgerdesk.yaml"
    path.write_text(text)
    return path


def test_default_file_points_at_the_sandbox():
    settings = load_settings(DEFAULT_CONFIG, ENV)
    assert [(a.gateway, a.name) for a in settings.accounts] == [
        ("stripe", "sandbox"), ("braintree", "sandbox"), ("paypal", "sandbox"),
    ]  # fmt: skip
    assert all(a.api_base.startswith("http://127.0.0.1:") for a in settings.accounts)
    ports = {a.api_base for a in settings.accounts}
    assert len(ports) == 3  # one sandbox per gateway
    assert settings.accounts[0].api_key == "sk_test_x"
    assert list(settings.accounts[1].credentials) == ["merchant_id", "public_key", "private_key"]
    assert settings.warehouse_path.name == "warehouse.duckdb"
    assert settings.reporting_currency == "USD"


def test_several_accounts_of_one_gateway(tmp_path):
    path = write(
        tmp_path,
        """
accounts:
  - {gateway: stripe, name: us, api_key_env: LEDGERDESK_STRIPE_SANDBOX_KEY}
  - {gateway: stripe, name: eu, api_key_env: STRIPE_EU_KEY, default_currency: eur}
warehouse: {path: wh/x.duckdb}
""",
    )
    settings = load_settings(path, ENV)
    assert [a.name for a in settings.accounts_of("stripe")] == ["us", "eu"]
    assert settings.accounts[1].default_currency == "EUR"
    assert settings.accounts[0].api_base is None
    assert settings.warehouse_path == (tmp_path / "wh" / "x.duckdb").resolve()


def test_environment_overrides_the_warehouse_and_the_file(tmp_path):
    path = write(tmp_path, "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY}]")
    env = {**ENV, "LEDGERDESK_CONFIG": str(path), "LEDGERDESK_WAREHOUSE": "/tmp/w.duckdb"}
    settings = load_settings(environ=env)
    assert settings.config_path == path.resolve()
    assert settings.warehouse_path == Path("/tmp/w.duckdb")
    assert settings.dbt_env() == {"LEDGERDESK_WAREHOUSE": "/tmp/w.duckdb"}


def test_the_key_never_appears_in_repr():
    settings = load_settings(DEFAULT_CONFIG, ENV)
    assert "sk_test_x" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("accounts: []", "accounts"),
        ("accounts: [{gateway: paypol, name: a, api_key_env: X}]", "accounts[0].gateway"),
        ("accounts: [{gateway: stripe, name: 'Bad Name', api_key_env: X}]", "accounts[0].name"),
        ("accounts: [{gateway: stripe, name: a, api_key_env: lower}]", "accounts[0].api_key_env"),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY,"
            " api_base: 'http://stripe-proxy.internal.example'}]",
            "accounts[0].api_base",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY,"
            " api_base: 'http://128.0.0.1:12111'}]",
            "accounts[0].api_base",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY,"
            " api_base: 'http://localhost.example.com'}]",
            "accounts[0].api_base",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY,"
            " api_base: 'http://10.0.0.5', allow_insecure_http: 'yes'}]",
            "accounts[0].allow_insecure_http",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY, api_base: 'https://'}]",
            "accounts[0].api_base",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY, api_base: ftp://x}]",
            "accounts[0].api_base",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY, colour: red}]",
            "accounts[0].colour",
        ),
        (
            "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY}]\n"
            "reporting_currency: dollars",
            "reporting_currency",
        ),
        (
            "accounts:\n  - {gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY}\n"
            "  - {gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY}",
            "accounts[1].name",
        ),
        ("warehose: {path: x}", "warehose"),
        ("accounts: [oops", "(file)"),
    ],
)
def test_a_bad_file_names_the_key_and_the_file(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path, ENV)
    assert err.value.key == key
    assert str(path.resolve()) in str(err.value)
    assert key in str(err.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings(tmp_path / "nope.yaml", ENV)


def test_settings_load_without_any_secret_and_the_key_is_asked_for_when_needed(tmp_path):
    path = write(
        tmp_path,
        "accounts:\n"
        "  - {gateway: stripe, name: us, api_key_env: STRIPE_US_KEY}\n"
        "  - {gateway: stripe, name: eu, api_key_env: STRIPE_EU_KEY}\n",
    )
    settings = load_settings(path, {})  # the dashboards' case: no secret on the machine
    assert [a.name for a in settings.accounts] == ["us", "eu"]
    with pytest.raises(ConfigError) as err:
        _ = settings.accounts[1].api_key
    assert str(err.value) == (
        f"{path.resolve()}: accounts[1].api_key_env: "
        "environment variable STRIPE_EU_KEY is not set or empty"
    )
    assert err.value.key == "accounts[1].api_key_env"
    with pytest.raises(ConfigError, match="STRIPE_US_KEY is not set or empty"):
        _ = load_settings(path, {"STRIPE_US_KEY": ""}).accounts[0].api_key
    assert load_settings(path, ENV).accounts[1].api_key == "sk_test_eu"


def test_building_a_gateway_client_without_the_key_is_a_config_error(tmp_path):
    from gateways.stripe.gateway import StripeGateway

    path = write(tmp_path, "accounts: [{gateway: stripe, name: a, api_key_env: NOT_SET}]")
    (account,) = load_settings(path, ENV).accounts
    with pytest.raises(
        ConfigError, match=r"accounts\[0\]\.api_key_env: environment variable NOT_SET"
    ):
        StripeGateway(account)


@pytest.mark.parametrize(
    ("api_base", "extra"),
    [
        ("http://127.0.0.1:12111", ""),
        ("http://127.9.8.7:1/", ""),
        ("http://[::1]:12111", ""),
        ("http://localhost:12111", ""),
        ("http://LOCALHOST", ""),
        ("https://stripe-proxy.internal.example", ""),
        ("http://stripe-proxy.internal.example", ", allow_insecure_http: true"),
    ],
)
def test_plain_http_only_to_loopback_or_when_the_account_says_so(tmp_path, api_base, extra):
    path = write(
        tmp_path,
        f"accounts: [{{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY,"
        f" api_base: '{api_base}'{extra}}}]",
    )
    (account,) = load_settings(path, ENV).accounts
    assert account.api_base == api_base.rstrip("/")
    assert account.allow_insecure_http == bool(extra)


def test_insecure_http_is_refused_with_a_clear_message(tmp_path):
    path = write(
        tmp_path,
        "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY,"
        " api_base: 'http://stripe-proxy.internal.example'}]",
    )
    with pytest.raises(ConfigError) as err:
        load_settings(path, ENV)
    assert str(err.value).startswith(f"{path.resolve()}: accounts[0].api_base: plain http://")
    assert "allow_insecure_http: true" in str(err.value)


def test_an_account_copied_with_replace_keeps_its_key_and_where_it_came_from(tmp_path):
    from dataclasses import replace

    path = write(tmp_path, "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY}]")
    (account,) = load_settings(path, ENV).accounts
    copy = replace(account, lookback_days=7)
    assert (copy.lookback_days, copy.api_key, copy.name) == (7, "sk_test_eu", "a")
    (unset,) = load_settings(path, {}).accounts
    with pytest.raises(ConfigError, match=r"accounts\[0\]\.api_key_env"):
        _ = replace(unset, name="b").api_key
    given = replace(unset, _given_key="sk_test_given")
    assert given.api_key == "sk_test_given" and "sk_test_given" not in repr(given)


def test_settings_from_the_process_environment_pickle_and_read_the_key_late(monkeypatch):
    import os
    import pickle

    monkeypatch.delenv("LEDGERDESK_STRIPE_SANDBOX_KEY", raising=False)
    settings = load_settings(DEFAULT_CONFIG, os.environ)
    copy = pickle.loads(pickle.dumps(settings))  # Dagster may send resources to subprocesses
    monkeypatch.setenv("LEDGERDESK_STRIPE_SANDBOX_KEY", "sk_test_late")
    assert copy.accounts[0].api_key == settings.accounts[0].api_key == "sk_test_late"
