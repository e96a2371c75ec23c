{#- The gateways and the contracts they feed (DECISIONLOG.md, 2026-12-01, room identity).

    `vars.gateways` in dbt_project.yml is the one list of gateways the warehouse unions;
    `vars.gateway_contracts` declares, per gateway, the intermediate contracts it feeds (the
    `<entity>` of each `int_<gateway>__<entity>` model it provides). Declared, not
    discovered: dbt must know every ref when it parses, before any graph exists, so the union
    cannot look models up; a declared model that does not exist fails the parse by name, and
    `tests/assert_gateway_contracts_are_declared.sql` fails when a gateway's models and its
    declaration disagree. -#}

{#- Every intermediate contract a gateway may feed (`int_<entity>_unioned`). -#}
{% macro gateway_contract_names() -%}
    {{ return([
        'customers', 'payments', 'refunds', 'disputes', 'subscriptions', 'subscription_items',
        'invoices', 'invoice_lines', 'invoice_taxes', 'credit_notes', 'credit_note_lines',
    ]) }}
{%- endmacro %}

{#- The gateways of vars.gateways that feed `entity`, in the list's order. -#}
{% macro gateways_feeding(entity) -%}
    {%- set declared = var('gateway_contracts', {}) -%}
    {%- set feeding = [] -%}
    {%- for gateway in var('gateways') -%}
        {%- if gateway not in declared -%}
            {{ exceptions.raise_compiler_error(
                "vars.gateways lists '" ~ gateway ~ "' but vars.gateway_contracts declares no "
                ~ "contracts for it (dbt_project.yml)"
            ) }}
        {%- endif -%}
        {%- if entity not in gateway_contract_names() -%}
            {{ exceptions.raise_compiler_error("no intermediate contract named '" ~ entity ~ "'") }}
        {%- endif -%}
        {%- if entity in declared[gateway] -%}
            {%- do feeding.append(gateway) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(feeding) }}
{%- endmacro %}

{#- Union the per-gateway conforming models `int_<gateway>__<entity>` of every gateway that
    feeds the contract, selecting each column of the calling model's contract (its yml
    `columns:`) by name, so a gateway model that orders its columns differently or misses one
    fails at build time instead of shifting data. Needs no database. (At parse time the yml is
    not yet attached to the node: only the refs matter then.) A contract no listed gateway
    feeds is empty, with its contract's columns typed. An incremental run selects the rows
    landed since the last build (macros/incremental.sql): by the row's own `synced_at`, or,
    for rows replaced as a group (`parent_key`: an invoice's lines), every row of a group of
    which one row changed. -#}
{% macro union_gateways(entity, parent_key=none) -%}
    {%- set columns = model.columns.keys() | list -%}
    {%- if columns | length == 0 and execute -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": declare its columns in yml") }}
    {%- endif -%}
    {%- set gateways = gateways_feeding(entity) -%}
    {%- for gateway in gateways %}
    select
        {%- for column in columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- else %}
        *
        {%- endfor %}
    from {{ ref('int_' ~ gateway ~ '__' ~ entity) }}
    {%- if is_incremental() %}
    where {{ ledgerdesk.changed_rows(ref('int_' ~ gateway ~ '__' ~ entity), parent_key) }}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        {%- for name, column in model.columns.items() %}
        cast(null as {{ column.data_type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    where false
    {%- endfor %}
{%- endmacro %}

{#- The keys of a contract as every gateway computes them now (what an incremental run keeps:
    macros/incremental.sql, delete_gone). -#}
{% macro gateway_keys(entity, key) -%}
    {%- for gateway in gateways_feeding(entity) %}
    select {{ key }} from {{ ref('int_' ~ gateway ~ '__' ~ entity) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select cast(null as {{ ledgerdesk.text_type() }}) as {{ key }} where false
    {%- endfor %}
{%- endmacro %}

{#- Rows of `relation` an incremental run re-selects. -#}
{% macro changed_rows(relation, parent_key=none) -%}
    {%- if parent_key is none -%}
        synced_at >= {{ ledgerdesk.incremental_cutoff() }}
    {%- else -%}
        {{ parent_key }} in (
            select {{ parent_key }} from {{ relation }}
            where synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        )
    {%- endif -%}
{%- endmacro %}
