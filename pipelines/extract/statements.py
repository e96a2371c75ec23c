"""The landing's SQL, one text for every engine: what a batch does to the raw and bookkeeping
tables is written once. Engines differ only in the parameter marker and the JSON type (DuckDB
`?` and `json`, PostgreSQL `%s` and `jsonb`); how a batch's rows reach the engine (an Arrow
table registered as `incoming` in DuckDB, COPY into a temp table in PostgreSQL) and how the
transaction is held stay with each engine (landing.py, engines/postgres.py).
Every statement reads the batch's rows from a relation named `incoming` (account_id, id,
created, payload as text, payload_hash, version_at) and the ids a listing saw from `seen`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    param: str  # the driver's parameter marker
    json: str  # the payload column's type


DUCKDB = Dialect("?", "json")
POSTGRES = Dialect("%s", "jsonb")


def count_changes(table: str) -> str:
    """(inserted, updated): new ids, and known ids whose payload changed at a version not
    older than the landed one (what the upsert below will rewrite)."""
    return f"""select count(*) filter (where t.id is null),
                   count(*) filter (where t.id is not null
                       and t.payload_hash <> i.payload_hash and i.version_at >= t.version_at)
            from incoming i
            left join {table} t on t.account_id = i.account_id and t.id = i.id"""


def upsert(table: str, d: Dialect) -> str:
    """Newest version wins: a row is rewritten only when its payload changed and the incoming
    version is not older."""
    return f"""insert into {table} as t
                (account_id, id, created, payload, payload_hash, version_at, synced_at)
            select account_id, id, created, payload::{d.json}, payload_hash, version_at,
                   {landing_stamp()}
            from incoming
            on conflict (account_id, id) do update set
                created = excluded.created, payload = excluded.payload,
                payload_hash = excluded.payload_hash, version_at = excluded.version_at,
                synced_at = excluded.synced_at
            where excluded.payload_hash <> t.payload_hash
                and excluded.version_at >= t.version_at"""


def clear_quarantine_of_incoming(d: Dialect) -> str:
    """Ids that land clean leave the quarantine. Params: gateway, account_id, entity."""
    p = d.param
    return (
        f"delete from ledgerdesk.quarantine where gateway = {p} and account_id = {p}"
        f" and entity = {p} and object_id in (select id from incoming)"
    )


def mark_listed(table: str, d: Dialect) -> str:
    """Params: listed_at, account_id."""
    p = d.param
    return (
        f"update {table} set listed_at = {p} where account_id = {p} and id in (select id from seen)"
    )


def prune(table: str, d: Dialect) -> str:
    """Rows a completed full listing never saw, except rows landed since it began; returns
    their ids. Params: account_id, prune_before, prune_before."""
    p = d.param
    return (
        f"delete from {table} where account_id = {p} and coalesce(listed_at, -1) < {p}"
        f" and version_at < {p} returning id"
    )


def clear_quarantine_of_ids(d: Dialect) -> str:
    """Params: gateway, account_id, entity, a list of object ids."""
    p = d.param
    return (
        f"delete from ledgerdesk.quarantine where gateway = {p} and account_id = {p}"
        f" and entity = {p} and object_id = any({p})"
    )


def quarantine(d: Dialect) -> str:
    """Params: gateway, account_id, entity, object_id, reason, raw_text, raw_hash."""
    p = d.param
    return (
        f"insert into ledgerdesk.quarantine values ({p}, {p}, {p}, {p}, {p}, {p}, {p},"
        " current_timestamp, current_timestamp)"
        " on conflict (gateway, account_id, entity, raw_hash) do update"
        " set reason = excluded.reason, last_seen_at = excluded.last_seen_at"
    )


def save_cursor(d: Dialect) -> str:
    """Params: gateway, account_id, entity, the cursor as JSON text."""
    p = d.param
    return (
        f"insert into ledgerdesk.cursors values ({p}, {p}, {p}, {p}::{d.json}, current_timestamp)"
        " on conflict (gateway, account_id, entity) do update"
        " set cursor = excluded.cursor, updated_at = excluded.updated_at"
    )


def oldest_open(table: str, d: Dialect) -> str:
    """`created` of the oldest row whose payload field (a plain name: tables.oldest_open_with
    checks it) is one of a list. Params: account_id, the field, the values."""
    p = d.param
    return (
        f"select min(created) from {table}"
        f" where account_id = {p} and payload->>{p} = any({p}::varchar[])"
    )


def bump_generation(d: Dialect) -> str:
    """In a landing transaction that inserted, rewrote or pruned rows of a raw table: its
    generation moves by one (a counter, not a clock: it never goes back). Params: the raw
    table's name."""
    return (
        f"insert into ledgerdesk.raw_generations as g values ({d.param}, 1)"
        " on conflict (raw_table) do update set generation = g.generation + 1"
    )


def landing_stamp() -> str:
    """The `synced_at` of the rows a landing writes: its transaction's time, or, when that is
    earlier than the newest stamp any landing of this warehouse gave (a clock that ran ahead,
    then corrected), that stamp. So `synced_at` never goes back in a warehouse: an incremental
    model re-selects rows from its newest `synced_at` minus the lookback
    (dbt_project/macros/incremental.sql), and a row stamped earlier would never be built."""
    return (
        "greatest(current_timestamp, coalesce("
        "(select max(stamped_at) from ledgerdesk.raw_stamps), current_timestamp))"
    )


def keep_stamp(d: Dialect) -> str:
    """In a landing transaction that changed a raw table's rows (with bump_generation): the
    stamp its rows got, kept for the next landings' `landing_stamp`. Params: the raw table."""
    return (
        f"insert into ledgerdesk.raw_stamps as s select {d.param}, {landing_stamp()}"
        " on conflict (raw_table) do update"
        " set stamped_at = greatest(s.stamped_at, excluded.stamped_at)"
    )


def read_cursor(d: Dialect) -> str:
    """Params: gateway, account_id, entity."""
    p = d.param
    return (
        "select cast(cursor as varchar) from ledgerdesk.cursors"
        f" where gateway = {p} and account_id = {p} and entity = {p}"
    )
