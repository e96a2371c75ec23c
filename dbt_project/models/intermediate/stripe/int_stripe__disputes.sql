with

disputes as (

    select * from {{ ref('stg_stripe__disputes') }}

),

charges as (

    select * from {{ ref('stg_stripe__charges') }}

),

events as (

    select * from {{ ref('stg_stripe__events') }}

),

-- Stripe has no closing timestamp on the dispute: its first charge.dispute.closed event is
-- when it closed. An account's events reach back 30 days only, so a dispute closed before
-- the warehouse first read the feed has none (closed_at NULL, estimated: DECISIONLOG.md).
closing_events as (

    select
        account_id,
        object_id as dispute_id,
        min(created_at) as closed_at,
        max(synced_at) as synced_at
    from events
    where event_type = 'charge.dispute.closed'
    group by account_id, object_id

),

final as (

    select
        {{ scoped_id('stripe', 'disputes.account_id', 'disputes.dispute_id') }} as dispute_id,
        'stripe' as gateway,
        disputes.account_id,
        disputes.dispute_id as source_dispute_id,
        {{ scoped_id('stripe', 'disputes.account_id', 'disputes.charge_id') }} as payment_id,
        {{ scoped_id('stripe', 'disputes.account_id', 'charges.customer_id') }} as customer_id,
        disputes.created_at,
        closing_events.closed_at,
        coalesce(
            disputes.status in ('won', 'lost', 'warning_closed', 'prevented')
            and closing_events.closed_at is null,
            false
        ) as is_closed_at_estimated,
        -- Stripe's words mapped to the canonical vocabulary (DECISIONLOG.md, room identity): an
        -- inquiry (warning_*) is not yet a chargeback; closed without one is won for the
        -- merchant, as prevented is; an appeal is the same stage again.
        case disputes.status
            when 'warning_needs_response' then 'inquiry'
            when 'warning_under_review' then 'inquiry'
            when 'warning_closed' then 'won'
            when 'prevented' then 'won'
            when 'appeal_needs_response' then 'needs_response'
            when 'appeal_under_review' then 'under_review'
            else disputes.status
        end as status,
        disputes.status as source_status,
        {{ to_iso_minor('disputes.amount_minor', 'disputes.currency', 'stripe') }} as amount_minor,
        disputes.currency,
        disputes.reason,
        disputes.evidence_due_at,
        greatest(disputes.synced_at, charges.synced_at, closing_events.synced_at) as synced_at

    from disputes
    left join charges
        on
            disputes.account_id = charges.account_id
            and disputes.charge_id = charges.charge_id
    left join closing_events
        on
            disputes.account_id = closing_events.account_id
            and disputes.dispute_id = closing_events.dispute_id

)

select * from final
