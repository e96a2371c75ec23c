{{ config(
    materialized=ledgerdesk.incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='refund_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('refund_id', 'select refund_id from ' ~ ref('int_refunds_unioned')) }}",
) }}
with

-- An incremental run: the rows landed since the last build and the rows whose person
-- changed (macros/incremental.sql).
refunds as (

    select * from {{ ref('int_refunds_unioned') }}
    {% if is_incremental() %}
    where
        synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        or customer_id in ({{ ledgerdesk.remapped_customers() }})
    {% endif %}

),

persons as (

    select * from {{ ref('int_persons') }}

),

final as (

    select
        refunds.refund_id,
        refunds.gateway,
        refunds.account_id,
        refunds.source_refund_id,
        refunds.payment_id,
        persons.person_id,
        refunds.customer_id,
        refunds.created_at,
        cast(refunds.created_at as date) as created_date,
        refunds.status,
        refunds.source_status,
        refunds.amount_minor,
        refunds.currency,
        {{ to_major('refunds.amount_minor', 'refunds.currency') }} as amount_major,
        refunds.reason,
        refunds.description,
        refunds.is_authorization_release,
        refunds.status = 'succeeded' and not refunds.is_authorization_release
            as is_revenue_refund,
        refunds.synced_at

    from refunds
    left join persons
        on refunds.customer_id = persons.customer_id

)

select * from final
