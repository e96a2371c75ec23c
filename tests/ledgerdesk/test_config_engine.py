"""warehouse.engine: DuckDB by default; PostgreSQL's connection from the environment only, one
connection for the landing and for dbt, its password never shown."""

from pathlib import Path

import pytest

from ledgerdesk.config import ConfigError, load_settings

ENV = {"STRIPE_EU_KEY": "sk_test_eu"}
ACCOUNTS = "accounts: [{gateway: stripe, name: a, api_key_env: STRIPE_EU_KEY}]\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ledgerdesk.yaml"
    path.write_text(ACCOUNTS + text)
    return path


def test_duckdb_is_the_default(tmp_path):
    settings = load_settings(write(tmp_path, ""), ENV)
    assert (settings.engine, settings.postgres, settings.dbt_target) == ("duckdb", None, "dev")
    assert settings.dbt_env() == {"LEDGERDESK_WAREHOUSE": str(settings.warehouse_path)}


def test_postgres_from_the_dsn_gives_dbt_the_same_database(tmp_path):
    env = {**ENV, "LEDGERDESK_PG_DSN": "postgresql://ledger:s3cr%20t@db.internal:5433/wh"}
    settings = load_settings(write(tmp_path, "warehouse: {engine: postgres}"), env)
    assert (settings.engine, settings.dbt_target) == ("postgres", "postgres")
    pg = settings.postgres
    assert pg.dsn() == (
        "host=db.internal port=5433 user=ledger dbname=wh sslmode=prefer password='s3cr t'"
    )
    assert settings.dbt_env() == {
        "LEDGERDESK_WAREHOUSE": str(settings.warehouse_path),
        "LEDGERDESK_PG_HOST": "db.internal",
        "LEDGERDESK_PG_PORT": "5433",
        "LEDGERDESK_PG_USER": "ledger",
        "LEDGERDESK_PG_PASSWORD": "s3cr t",
        "LEDGERDESK_PG_DBNAME": "wh",
        "LEDGERDESK_PG_SSLMODE": "prefer",
        "LEDGERDESK_PG_SCHEMA": "public",
    }
    assert "s3cr" not in pg.safe_dsn() and "s3cr" not in repr(settings)
    assert pg.safe_dsn().endswith("password=***")


def test_postgres_from_the_variables_dbt_reads(tmp_path):
    env = {**ENV, "LEDGERDESK_PG_HOST": "10.1.2.3", "LEDGERDESK_PG_DBNAME": "billing"}
    pg = load_settings(write(tmp_path, "warehouse: {engine: postgres}"), env).postgres
    assert pg.dsn() == "host=10.1.2.3 port=5432 user=postgres dbname=billing sslmode=prefer"
    assert pg.dbt_env()["LEDGERDESK_PG_PASSWORD"] == ""


@pytest.mark.parametrize(
    ("text", "env", "problem"),
    [
        ("warehouse: {engine: sqlite}", {}, "must be one of ['duckdb', 'postgres', 'spark']"),
        ("warehouse: {engine: postgres, password: x}", {}, "warehouse.password: unknown key"),
        (
            "warehouse: {engine: postgres}",
            {"LEDGERDESK_PG_DSN": "host=a dbname=x", "LEDGERDESK_PG_DBNAME": "y"},
            "warehouse.engine: postgres: LEDGERDESK_PG_DBNAME='y' disagrees with LEDGERDESK_PG_DSN",
        ),
        (
            "warehouse: {engine: postgres}",
            {"LEDGERDESK_PG_DSN": "host=a password=pw_one", "LEDGERDESK_PG_PASSWORD": "pw_two"},
            "LEDGERDESK_PG_PASSWORD=*** disagrees",
        ),
        (
            "warehouse: {engine: postgres}",
            {"LEDGERDESK_PG_DSN": "host=a options=-csearch_path=x"},
            "LEDGERDESK_PG_DSN sets ['options'], which dbt's postgres profile does not read",
        ),
        (
            "warehouse: {engine: postgres}",
            {"LEDGERDESK_PG_DSN": "host=a port"},
            "LEDGERDESK_PG_DSN is not a valid conninfo or URL",
        ),
    ],
)
def test_a_bad_engine_names_the_file_and_the_key(tmp_path, text, env, problem):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path, {**ENV, **env})
    assert str(err.value).startswith(f"{path.resolve()}: warehouse.")
    assert problem in str(err.value)
    assert "pw_" not in str(err.value)


@pytest.mark.parametrize(
    ("dsn", "secret"),
    [
        ("host=h password='s3cr\\'et pass' dbname=x", "et pass"),
        ("host=h password = hunter2 dbname=x", "hunter2"),
        ("postgresql://ledger:hunter2@db.internal:5432/wh?sslmode=require", "hunter2"),
        ("postgresql://ledger@db.internal/wh?password=hunter2", "hunter2"),
    ],
)
def test_no_part_of_a_password_is_ever_printed(dsn, secret):
    """Messages print any DSN through safe_dsn: libpq's own parse, so quoting, spaces and
    URL forms hide the whole password, and the rest of the DSN is still there to read."""
    from ledgerdesk.pg_settings import safe_dsn

    shown = safe_dsn(dsn)
    assert secret not in shown and "hunter" not in shown and "s3cr" not in shown
    assert shown.endswith("password=***") and "host=" in shown
