"""The one module that reads configuration and the environment.

Everything else receives a `Settings` (or the piece of it it needs) as an argument: no other
module reads environment variables of its own. A bad file raises `ConfigError` naming the file
and the key, so a person can fix it without reading code.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ledgerdesk.pg_settings import PgSettingsError, PostgresWarehouse, postgres_from_env

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "ledgerdesk.yaml"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse.duckdb"

_ACCOUNT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")

ENGINES = ("duckdb", "postgres", "spark")  # warehouse.engine
DBT_TARGETS = {"duckdb": "dev", "postgres": "postgres", "spark": "spark"}  # profiles.yml


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key}: {problem}")
        self.path = path
        self.key = key


@dataclass(frozen=True, init=False)
class GatewayAccount:
    """One configured account of one gateway. `name` is the account_id in the warehouse.

    Each credential (`credentials`: the gateway's own names, Braintree's merchant_id,
    public_key and private_key) is resolved when something needs it (`secret(name)`, called
    when a gateway client is built), not when the settings load: the dashboards and the Dagster
    UI load settings on a machine that holds no secret. An unset variable then raises the same
    ConfigError as a bad file would, naming the file and the key."""

    gateway: str
    name: str
    credentials: Mapping[str, str]  # the gateway's credential name -> environment variable
    default_currency: str
    api_base: str | None
    lookback_days: int
    allow_insecure_http: bool
    # requests a second the gateway allows this account (`per_path_per_second`,
    # `total_per_second`); None: the gateway module's default for its server
    rate_limits: Mapping[str, float] | None
    _given_key: Mapping[str, str] = field(repr=False)
    _environ: Mapping[str, str] | None = field(repr=False, compare=False, hash=False)
    _origin: tuple[Path, str] = field(repr=False, compare=False, hash=False)

    def __init__(
        self,
        gateway: str,
        name: str,
        api_key_env: str | None = None,
        api_key: str | None = None,
        default_currency: str = "USD",
        api_base: str | None = None,
        lookback_days: int = 3,
        *,
        allow_insecure_http: bool = False,
        credentials: Mapping[str, str] | None = None,
        rate_limits: Mapping[str, float] | None = None,
        secrets: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
        origin: tuple[Path, str] = (Path("(no file)"), "account"),
        **stored: Any,
    ) -> None:
        """`credentials` maps each credential name to its environment variable; Stripe's
        `api_key_env` is short for `credentials={"api_key": api_key_env}`. A value given in
        `secrets` (or `api_key`) is used as is; the others are read from `environ` (default:
        os.environ) when first needed; `origin` (file, key) names them in errors.
        (`stored` takes the private fields back, so `dataclasses.replace` keeps them.)"""
        unknown = set(stored) - {"_given_key", "_environ", "_origin"}
        if unknown:
            raise TypeError(f"unexpected arguments {sorted(unknown)}")
        given = dict(secrets or {})
        if api_key is not None:
            given["api_key"] = api_key
        given = stored.get("_given_key", given)
        if isinstance(given, str):  # a bare key: Stripe's api_key
            given = {"api_key": given}
        environ = stored.get("_environ", environ)
        origin = stored.get("_origin", origin)
        names = dict(credentials or {})
        if api_key_env is not None:
            names.setdefault("api_key", api_key_env)
        values = {
            "gateway": gateway,
            "name": name,
            "credentials": names,
            "default_currency": default_currency,
            "api_base": api_base,
            "lookback_days": lookback_days,
            "allow_insecure_http": allow_insecure_http,
            "rate_limits": dict(rate_limits) if rate_limits is not None else None,
            "_given_key": given,
            "_environ": environ,
            "_origin": origin,
        }
        for attr, value in values.items():
            object.__setattr__(self, attr, value)

    @property
    def api_key_env(self) -> str | None:
        """The variable holding Stripe's secret key (credentials["api_key"])."""
        return self.credentials.get("api_key")

    @property
    def api_key(self) -> str:
        """The secret API key (gateways whose one credential is `api_key`: Stripe)."""
        return self.secret("api_key")

    def secret(self, name: str) -> str:
        """The credential `name`; ConfigError (file: accounts[i].credentials.<name>: ...)
        when its variable is unset or empty, or when the account names no such credential."""
        given = self._given_key.get(name)
        if given:
            return given
        path, key = self._origin
        env_name = self.credentials.get(name)
        if env_name is None:
            raise ConfigError(path, f"{key}.credentials.{name}", "not configured")
        env = os.environ if self._environ is None else self._environ
        secret = env.get(env_name)
        if not secret:
            where = "api_key_env" if self._from_api_key_env(name) else f"credentials.{name}"
            raise ConfigError(
                path, f"{key}.{where}", f"environment variable {env_name} is not set or empty"
            )
        return secret

    def secret_values(self) -> tuple[str, ...]:
        """Every credential that resolves now (for scrubbing them out of messages)."""
        values = []
        for name in self.credentials:
            try:
                values.append(self.secret(name))
            except ConfigError:
                continue
        return tuple(values)

    def _from_api_key_env(self, name: str) -> bool:
        return name == "api_key" and list(self.credentials) == ["api_key"]

    @property
    def label(self) -> str:
        return f"{self.gateway} account '{self.name}'"


@dataclass(frozen=True)
class Settings:
    config_path: Path
    accounts: tuple[GatewayAccount, ...]
    reporting_currency: str
    warehouse_path: Path
    published_dir: Path
    operational_db_url: str
    dagster_home: Path
    engine: str = "duckdb"  # where raw data lands and dbt builds: one of ENGINES
    postgres: PostgresWarehouse | None = None  # its connection, when engine is postgres

    @property
    def dbt_target(self) -> str:
        """The profiles.yml target of this engine."""
        return DBT_TARGETS[self.engine]

    def accounts_of(self, gateway: str) -> tuple[GatewayAccount, ...]:
        return tuple(a for a in self.accounts if a.gateway == gateway)

    def dbt_env(self) -> dict[str, str]:
        """Variables dbt's profiles.yml reads, so dbt and Dagster name the same file, or the
        same PostgreSQL database (LEDGERDESK_PG_*, from the one connection the landing uses)."""
        env = {"LEDGERDESK_WAREHOUSE": str(self.warehouse_path)}
        if self.postgres is not None:
            env.update(self.postgres.dbt_env())
        return env


def load_settings(
    path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read the config file named by `path`, else LEDGERDESK_CONFIG, else ledgerdesk.yaml."""
    env = os.environ if environ is None else environ
    config_path = Path(path or env.get("LEDGERDESK_CONFIG") or DEFAULT_CONFIG).resolve()
    if not config_path.is_file():
        raise ConfigError(config_path, "(file)", "no such configuration file")
    try:
        doc = yaml.safe_load(config_path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(config_path, "(file)", f"not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise ConfigError(config_path, "(file)", "the top level must be a mapping")
    return _parse(config_path, doc, env)


def _parse(path: Path, doc: dict[str, Any], env: Mapping[str, str]) -> Settings:
    known = {"accounts", "reporting_currency", "warehouse", "operational_db", "dagster_home"}
    for key in doc:
        if key not in known:
            raise ConfigError(path, str(key), f"unknown key (expected one of {sorted(known)})")
    raw_accounts = doc.get("accounts")
    if not isinstance(raw_accounts, list) or not raw_accounts:
        raise ConfigError(path, "accounts", "must be a non-empty list of gateway accounts")
    accounts = tuple(
        _parse_account(path, f"accounts[{i}]", item, env) for i, item in enumerate(raw_accounts)
    )
    seen: set[tuple[str, str]] = set()
    for i, account in enumerate(accounts):
        if (account.gateway, account.name) in seen:
            raise ConfigError(path, f"accounts[{i}].name", f"duplicate name '{account.name}'")
        seen.add((account.gateway, account.name))

    base = path.parent
    warehouse_env = env.get("LEDGERDESK_WAREHOUSE")
    warehouse = doc.get("warehouse", {}) or {}
    if not isinstance(warehouse, dict):
        raise ConfigError(path, "warehouse", "must be a mapping")
    for sub in warehouse:
        if sub not in WAREHOUSE_KEYS:
            raise ConfigError(
                path, f"warehouse.{sub}", f"unknown key (expected one of {list(WAREHOUSE_KEYS)})"
            )
    engine, postgres = _engine(path, warehouse.get("engine", "duckdb"), env)
    warehouse_path = _resolve(base, warehouse_env or warehouse.get("path") or DEFAULT_WAREHOUSE)
    published = warehouse.get("published_dir") or warehouse_path.parent / "published"
    operational = doc.get("operational_db", {}) or {}
    if not isinstance(operational, dict):
        raise ConfigError(path, "operational_db", "must be a mapping")
    op_url = str(operational.get("url") or f"sqlite:///{warehouse_path.parent / 'operational.db'}")
    reporting = _currency(path, "reporting_currency", doc.get("reporting_currency", "USD"))
    dagster_home = _resolve(
        base,
        env.get("DAGSTER_HOME") or doc.get("dagster_home") or warehouse_path.parent / "dagster",
    )
    return Settings(
        config_path=path,
        accounts=accounts,
        reporting_currency=reporting,
        warehouse_path=warehouse_path,
        published_dir=_resolve(base, published),
        operational_db_url=op_url,
        dagster_home=dagster_home,
        engine=engine,
        postgres=postgres,
    )


WAREHOUSE_KEYS = ("engine", "path", "published_dir")


def _engine(path: Path, value: Any, env: Mapping[str, str]) -> tuple[str, PostgresWarehouse | None]:
    """warehouse.engine, and for postgres its connection from the environment (never the
    file: it would hold the password)."""
    if value not in ENGINES:
        raise ConfigError(path, "warehouse.engine", f"must be one of {list(ENGINES)}")
    if value != "postgres":
        return value, None
    try:
        return value, postgres_from_env(env)
    except PgSettingsError as exc:
        raise ConfigError(path, "warehouse.engine", f"postgres: {exc}") from None


def _parse_account(path: Path, key: str, item: Any, env: Mapping[str, str]) -> GatewayAccount:
    if not isinstance(item, dict):
        raise ConfigError(path, key, "must be a mapping")
    allowed = {
        "gateway",
        "name",
        "api_key_env",
        "credentials",
        "api_base",
        "allow_insecure_http",
        "default_currency",
        "lookback_days",
        "rate_limits",
    }
    for sub in item:
        if sub not in allowed:
            raise ConfigError(path, f"{key}.{sub}", f"unknown key (expected {sorted(allowed)})")
    modules = _gateway_modules()
    gateway = item.get("gateway")
    if gateway not in modules:
        raise ConfigError(path, f"{key}.gateway", f"must be one of {sorted(modules)}")
    module = modules[gateway]
    name = item.get("name")
    if not isinstance(name, str) or not _ACCOUNT_NAME.match(name):
        raise ConfigError(path, f"{key}.name", "must be lowercase letters, digits, - or _")
    credentials = _credentials(path, key, item, tuple(module.credentials))
    insecure = item.get("allow_insecure_http", False)
    if not isinstance(insecure, bool):
        raise ConfigError(path, f"{key}.allow_insecure_http", "must be true or false")
    api_base = _api_base(path, f"{key}.api_base", item.get("api_base"), insecure)
    lookback = item.get("lookback_days", 3)
    if not isinstance(lookback, int) or isinstance(lookback, bool) or not 0 <= lookback <= 180:
        raise ConfigError(path, f"{key}.lookback_days", "must be an integer from 0 to 180")
    account = GatewayAccount(
        gateway=gateway,
        name=name,
        credentials=credentials,
        rate_limits=_rate_limits(path, f"{key}.rate_limits", item.get("rate_limits")),
        default_currency=_currency(
            path, f"{key}.default_currency", item.get("default_currency", "USD")
        ),
        api_base=api_base,
        lookback_days=lookback,
        allow_insecure_http=insecure,
        environ=None if env is os.environ else env,  # None: os.environ (picklable)
        origin=(path, key),
    )
    for sub, problem in module.check_account(account):
        raise ConfigError(path, f"{key}.{sub}", problem)
    return account


def _gateway_modules() -> dict[str, Any]:
    from gateways.registry import gateway_modules  # the one list of gateways

    return gateway_modules()


def _credentials(path: Path, key: str, item: dict[str, Any], names: tuple[str, ...]):
    """The account's credential name -> environment variable mapping, every name the gateway
    needs present. `api_key_env: X` is short for `credentials: {api_key: X}`."""
    given = item.get("credentials")
    key_env = item.get("api_key_env")
    if given is not None and key_env is not None:
        raise ConfigError(path, f"{key}.api_key_env", "give either api_key_env or credentials")
    if key_env is not None:
        if names != ("api_key",):
            raise ConfigError(
                path,
                f"{key}.api_key_env",
                f"this gateway needs credentials {list(names)}: use credentials: {{...}}",
            )
        given = {"api_key": key_env}
    if not isinstance(given, dict):
        wanted = "api_key_env" if names == ("api_key",) else "credentials"
        raise ConfigError(
            path,
            f"{key}.{wanted}",
            f"missing: name the environment variables of {list(names)}",
        )
    for name in given:
        if name not in names:
            raise ConfigError(
                path, f"{key}.credentials.{name}", f"unknown credential (expected {list(names)})"
            )
    for name in names:
        env_name = given.get(name)
        where = f"{key}.api_key_env" if key_env is not None else f"{key}.credentials.{name}"
        if env_name is None:
            raise ConfigError(path, where, "missing: name its environment variable")
        if not isinstance(env_name, str) or not _ENV_NAME.match(env_name):
            raise ConfigError(path, where, "must name an environment variable (UPPER_CASE)")
    return {name: given[name] for name in names}


RATE_LIMIT_KEYS = ("per_path_per_second", "total_per_second")


def _rate_limits(path: Path, key: str, value: Any) -> dict[str, float] | None:
    """None, or requests a second per path and in all (each optional, a positive number)."""
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise ConfigError(path, key, f"must be a mapping with {' and/or '.join(RATE_LIMIT_KEYS)}")
    for sub, number in value.items():
        if sub not in RATE_LIMIT_KEYS:
            raise ConfigError(
                path, f"{key}.{sub}", f"unknown key (expected {list(RATE_LIMIT_KEYS)})"
            )
        if isinstance(number, bool) or not isinstance(number, int | float) or number <= 0:
            raise ConfigError(
                path, f"{key}.{sub}", "must be a positive number of requests a second"
            )
    return {sub: float(number) for sub, number in value.items()}


def _api_base(path: Path, key: str, value: Any, allow_insecure_http: bool) -> str | None:
    """None, or the URL without its trailing slash. Plain http:// would send the secret key
    in clear text: refused unless the host is loopback or the account says so explicitly."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ConfigError(path, key, "must be an http:// or https:// URL")
    try:
        host = urlsplit(value).hostname
    except ValueError as exc:
        raise ConfigError(path, key, f"not a valid URL: {exc}") from exc
    if not host:
        raise ConfigError(path, key, "must be an http:// or https:// URL with a host")
    if value.startswith("http://") and not allow_insecure_http and not _is_loopback(host):
        raise ConfigError(
            path,
            key,
            f"plain http:// to {host} would send the API key unencrypted: use https://, "
            "or a loopback host (127.0.0.0/8, ::1, localhost), or set "
            "allow_insecure_http: true on this account",
        )
    return value.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _currency(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not _CURRENCY.match(value.upper()):
        raise ConfigError(path, key, "must be an ISO 4217 currency code such as USD")
    return value.upper()


def _resolve(base: Path, value: str | Path) -> Path:
    p = Path(value).expanduser()
    return (p if p.is_absolute() else base / p).resolve()
