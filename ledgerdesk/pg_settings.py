"""The PostgreSQL warehouse's connection (`warehouse.engine: postgres`), from the environment.

One connection for everything that touches the warehouse: the landing (psycopg), the
dashboards (psycopg) and dbt (profiles.yml's `postgres` target, which reads LEDGERDESK_PG_*).
It is given either as LEDGERDESK_PG_DSN (a libpq conninfo or postgresql:// URL) or as the
LEDGERDESK_PG_* variables themselves; a DSN is split into those variables for dbt
(`dbt_env`), and a LEDGERDESK_PG_* variable that says otherwise than the DSN is refused,
so dbt and the landing can never point at two databases. The password is held here, read
from the environment, and never shown: `safe_dsn` is what messages print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DSN_ENV = "LEDGERDESK_PG_DSN"
# conninfo keyword -> (variable profiles.yml reads, its default there)
VARIABLES = {
    "host": ("LEDGERDESK_PG_HOST", "127.0.0.1"),
    "port": ("LEDGERDESK_PG_PORT", "5432"),
    "user": ("LEDGERDESK_PG_USER", "postgres"),
    "password": ("LEDGERDESK_PG_PASSWORD", ""),
    "dbname": ("LEDGERDESK_PG_DBNAME", "test"),
    "sslmode": ("LEDGERDESK_PG_SSLMODE", "prefer"),
}
SCHEMA_ENV = "LEDGERDESK_PG_SCHEMA"  # dbt's target schema (models name their own schemas)


def safe_dsn(dsn: str) -> str:
    """Any conninfo or postgresql:// URL for messages: parsed by libpq's own rules, printed
    again without its password, whatever quoting or characters the password holds. A DSN
    that does not parse is not printed at all."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(dsn)
    except ProgrammingError:
        return "<a connection string that does not parse>"
    hidden = params.pop("password", None) is not None
    return make_conninfo(**params) + (" password=***" if hidden else "")


class PgSettingsError(ValueError):
    """A connection the environment describes inconsistently (config.py names the file)."""


@dataclass(frozen=True)
class PostgresWarehouse:
    host: str
    port: int
    user: str
    dbname: str
    sslmode: str
    schema: str
    password: str = field(default="", repr=False)

    def dsn(self) -> str:
        """The libpq conninfo, password included: for connecting, never for printing."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(**self._params(), password=self.password or None)

    def safe_dsn(self) -> str:
        """The conninfo without its password (for messages and logs)."""

        return safe_dsn(self.dsn())

    def dbt_env(self) -> dict[str, str]:
        """The variables profiles.yml's `postgres` target reads, naming this very database."""
        values = {**self._params(), "password": self.password}
        env = {VARIABLES[key][0]: str(value) for key, value in values.items()}
        env[SCHEMA_ENV] = self.schema
        return env

    def _params(self) -> dict[str, str]:
        return {
            "host": self.host,
            "port": str(self.port),
            "user": self.user,
            "dbname": self.dbname,
            "sslmode": self.sslmode,
        }


def postgres_from_env(env: Mapping[str, str]) -> PostgresWarehouse:
    """The connection LEDGERDESK_PG_DSN or LEDGERDESK_PG_* name (PgSettingsError if they
    disagree, or the DSN uses an option dbt's profile could not follow)."""
    values = {key: env.get(name) or None for key, (name, _) in VARIABLES.items()}
    dsn = env.get(DSN_ENV)
    if dsn:
        from psycopg import ProgrammingError
        from psycopg.conninfo import conninfo_to_dict

        try:
            given = {k: str(v) for k, v in conninfo_to_dict(dsn).items()}
        except ProgrammingError:
            raise PgSettingsError(f"{DSN_ENV} is not a valid conninfo or URL") from None
        unknown = sorted(set(given) - set(VARIABLES))
        if unknown:
            raise PgSettingsError(
                f"{DSN_ENV} sets {unknown}, which dbt's postgres profile does not read: give "
                f"only {sorted(VARIABLES)}"
            )
        for key, value in given.items():
            name = VARIABLES[key][0]
            if values[key] is not None and values[key] != value:
                shown = "***" if key == "password" else f"{values[key]!r}"
                raise PgSettingsError(
                    f"{name}={shown} disagrees with {DSN_ENV}: give one or the other, so that "
                    "dbt and the landing use one database"
                )
            values[key] = value
    values = {key: values[key] or default for key, (_, default) in VARIABLES.items()}
    try:
        port = int(values["port"])
    except ValueError:
        raise PgSettingsError(f"the port {values['port']!r} is not a number") from None
    return PostgresWarehouse(
        host=values["host"],
        port=port,
        user=values["user"],
        dbname=values["dbname"],
        sslmode=values["sslmode"],
        schema=env.get(SCHEMA_ENV) or "public",
        password=values["password"],
    )
