{{ config(
    materialized=ledgerdesk.incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='dispute_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('dispute_id', 'select dispute_id from ' ~ ref('int_disputes_unioned')) }}",
) }}
with

-- An incremental run: the rows landed since the last build and the rows whose person
-- changed (macros/incremental.sql).
disputes as (

    select * from {{ ref('int_disputes_unioned') }}
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
        disputes.dispute_id,
        disputes.gateway,
        disputes.account_id,
        disputes.source_dispute_id,
        disputes.payment_id,
        persons.person_id,
        disputes.customer_id,
        disputes.created_at,
        cast(disputes.created_at as date) as created_date,
        disputes.closed_at,
        disputes.is_closed_at_estimated,
        disputes.status,
        disputes.source_status,
        disputes.status = 'lost' as is_lost,
        disputes.status = 'won' as is_won,
        disputes.amount_minor,
        disputes.currency,
        {{ to_major('disputes.amount_minor', 'disputes.currency') }} as amount_major,
        disputes.reason,
        disputes.evidence_due_at,
        disputes.synced_at

    from disputes
    left join persons
        on disputes.customer_id = persons.customer_id

)

select * from final
