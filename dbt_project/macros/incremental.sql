{#- Incremental builds of the intermediate contracts and the large marts (DECISIONLOG.md,
    2026-12-03, room incr). A row carries `synced_at`, the newest landing of the raw rows it
    is computed from; an incremental run re-selects the rows whose `synced_at` is at least
    the newest one already built minus `vars.incremental_lookback_hours` (default 24: rows
    landed while the last build read), replaces them by `unique_key` (delete+insert), and
    deletes the keys no longer computed at all (pruned objects, tombstones). `--full-refresh`
    rebuilds everything. -#}

{#- 'incremental' on DuckDB and PostgreSQL; 'table' on Spark (no delete or merge on plain
    Parquet tables without Delta or Iceberg: DECISIONLOG.md). -#}
{% macro incremental_materialization() -%}
    {{- return('table' if target.type == 'spark' else 'incremental') -}}
{%- endmacro %}

{#- The intermediate contracts: tables unless `vars.incremental_contracts` (measured: an
    incremental run of a contract costs as much as a full one, since its selection sits
    above the staging views' JSON parsing; DECISIONLOG.md, 2026-12-03). -#}
{% macro contract_materialization() -%}
    {%- if var('incremental_contracts', false) -%}
        {{- return(ledgerdesk.incremental_materialization()) -}}
    {%- endif -%}
    {{- return('table') -}}
{%- endmacro %}

{#- The oldest `synced_at` an incremental run re-selects: from the newest row of `this`.
    A `this` without rows (its first build had none: no dispute yet) re-selects every row,
    or it would stay empty: max() of no rows is null, and nothing is >= null. -#}
{% macro incremental_cutoff() -%}
    (
        select
            coalesce(
                {{ dbt.dateadd(
                    'hour',
                    -1 * (var('incremental_lookback_hours', 24) | int),
                    'max(built_rows.synced_at)',
                ) }},
                cast('1970-01-01 00:00:00+00' as timestamp with time zone)
            )
        from {{ this }} as built_rows
    )
{%- endmacro %}

{#- The post-hook of an incremental model: rows of `this` whose `key` is no longer among
    the keys `current` selects (an object pruned from raw, a tombstone, a customer gone).
    Nothing on a table materialization (Spark) or a first build. -#}
{% macro delete_gone(key, current) -%}
    {#- (a unit test has no relation of its own and runs no hook) -#}
    {%- if this is none or model.config.materialized != 'incremental' -%}
        {{- return('') -}}
    {%- endif -%}
    {%- if is_incremental() -%}
        {#- not exists, an anti-join: PostgreSQL runs `not in (subquery)` row by row once the
            keys outgrow work_mem (66 s for the timeline at the demo's size) -#}
        delete from {{ this }} as built_rows
        where not exists (
            select 1
            from ({{ current }}) as current_keys
            where current_keys.{{ key }} = built_rows.{{ key }}
        )
    {%- endif -%}
{%- endmacro %}

{#- Customers whose person (int_persons) is not the one `this` holds for them: one new
    customer can merge or split people, which changes person_id for rows of any age. -#}
{% macro remapped_customers() -%}
    select built.customer_id
    from {{ this }} as built
    left join {{ ref('int_persons') }} as persons
        on built.customer_id = persons.customer_id
    where
        built.customer_id is not null
        and built.person_id is distinct from persons.person_id
{%- endmacro %}

{#- The objects fct_customer_timeline holds events of: every payment, refund, dispute,
    subscription and invoice whose customer has a person and a customer row. -#}
{% macro timeline_objects() -%}
    {%- set objects = [
        ('int_payments_unioned', 'payment_id'),
        ('int_refunds_unioned', 'refund_id'),
        ('int_disputes_unioned', 'dispute_id'),
        ('int_subscriptions_unioned', 'subscription_id'),
        ('int_invoices_unioned', 'invoice_id'),
    ] -%}
    {%- for model, key in objects %}
    select objects.{{ key }} as object_id
    from {{ ref(model) }} as objects
    inner join {{ ref('int_persons') }} as persons
        on objects.customer_id = persons.customer_id
    inner join {{ ref('int_customers_unioned') }} as customers
        on objects.customer_id = customers.customer_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
