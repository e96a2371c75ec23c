{#- A raw table that may not be landed yet (an entity added after the account was first
    extracted, or one the key may not read): its rows, or none at all with the raw layout,
    so staging builds either way. The placeholder is aliased as the table is named
    (PostgreSQL 15 requires an alias on a subquery in FROM). -#}
{% macro source_if_landed(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = relation if not execute or relation.schema is none else
        adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- if found is none -%}
        (
            select
                cast(null as {{ ledgerdesk.text_type() }}) as account_id,
                cast(null as {{ ledgerdesk.text_type() }}) as id,
                cast(null as bigint) as created,
                cast(null as {{ ledgerdesk.payload_json_type() }}) as payload,
                cast(null as {{ ledgerdesk.text_type() }}) as payload_hash,
                cast(null as bigint) as version_at,
                cast(null as {{ ledgerdesk.timestamptz_type() }}) as synced_at
            where false
        ) as {{ table_name }}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
