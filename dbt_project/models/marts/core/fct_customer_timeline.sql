-- One row per billing event of a person, for the agents' customer lookup: one timeline
-- across gateways, each row naming its gateway, account and the gateway's own ids. Event
-- types are listed in DECISIONLOG.md; an event of an object without a customer has no
-- person and is left out.
with

persons as (

    select * from {{ ref('int_persons') }}

),

customers as (

    select * from {{ ref('int_customers_unioned') }}

),

payments as (

    select * from {{ ref('int_payments_unioned') }}

),

refunds as (

    select * from {{ ref('int_refunds_unioned') }}

),

disputes as (

    select * from {{ ref('int_disputes_unioned') }}

),

subscriptions as (

    select * from {{ ref('int_subscriptions_unioned') }}

),

invoices as (

    select * from {{ ref('int_invoices_unioned') }}

),

payment_events as (

    select
        customer_id,
        gateway,
        account_id,
        created_at as event_at,
        'payment_' || status as event_type,
        'payment' as object_type,
        payment_id as object_id,
        source_payment_id as source_object_id,
        case
            when status = 'succeeded' then amount_captured_minor else amount_minor
        end as amount_minor,
        currency,
        status,
        coalesce(failure_message, description) as description
    from payments

),

refund_events as (

    select
        customer_id,
        gateway,
        account_id,
        created_at as event_at,
        'refund_' || status as event_type,
        'refund' as object_type,
        refund_id as object_id,
        source_refund_id as source_object_id,
        amount_minor,
        currency,
        status,
        coalesce(reason, description) as description
    from refunds

),

dispute_events as (

    select
        customer_id,
        gateway,
        account_id,
        created_at as event_at,
        'dispute_opened' as event_type,
        'dispute' as object_type,
        dispute_id as object_id,
        source_dispute_id as source_object_id,
        amount_minor,
        currency,
        status,
        reason as description
    from disputes

    union all

    select
        customer_id,
        gateway,
        account_id,
        closed_at as event_at,
        'dispute_' || status as event_type,
        'dispute' as object_type,
        dispute_id as object_id,
        source_dispute_id as source_object_id,
        amount_minor,
        currency,
        status,
        reason as description
    from disputes
    where status in ('won', 'lost') and closed_at is not null

),

subscription_milestones as (

    select
        customer_id,
        gateway,
        account_id,
        subscription_id,
        source_subscription_id,
        currency,
        status,
        unnest([
            { 'event_type': 'subscription_started', 'event_at': started_at },
            { 'event_type': 'trial_started', 'event_at': trial_started_at },
            -- A trial's end is an event once it has passed: not while still trialing.
            {
                'event_type': 'trial_ended',
                'event_at': case when status != 'trialing' then trial_ended_at end
            },
            { 'event_type': 'subscription_canceled', 'event_at': canceled_at },
            { 'event_type': 'subscription_ended', 'event_at': ended_at }
        ]) as milestone
    from subscriptions

),

subscription_events as (

    select
        subscription_milestones.customer_id,
        subscription_milestones.gateway,
        subscription_milestones.account_id,
        milestone.event_at,
        milestone.event_type,
        'subscription' as object_type,
        subscription_milestones.subscription_id as object_id,
        subscription_milestones.source_subscription_id as source_object_id,
        cast(null as bigint) as amount_minor,
        subscription_milestones.currency,
        subscription_milestones.status,
        cast(null as varchar) as description
    from subscription_milestones
    where milestone.event_at is not null

),

invoice_milestones as (

    select
        customer_id,
        gateway,
        account_id,
        invoice_id,
        source_invoice_id,
        currency,
        status,
        invoice_number,
        unnest([
            { 'event_type': 'invoice_finalized', 'event_at': finalized_at, 'amount': total_minor },
            { 'event_type': 'invoice_paid', 'event_at': paid_at, 'amount': amount_paid_minor },
            { 'event_type': 'invoice_voided', 'event_at': voided_at, 'amount': total_minor },
            {
                'event_type': 'invoice_marked_uncollectible',
                'event_at': marked_uncollectible_at,
                'amount': amount_remaining_minor
            }
        ]) as milestone
    from invoices

),

invoice_events as (

    select
        invoice_milestones.customer_id,
        invoice_milestones.gateway,
        invoice_milestones.account_id,
        milestone.event_at,
        milestone.event_type,
        'invoice' as object_type,
        invoice_milestones.invoice_id as object_id,
        invoice_milestones.source_invoice_id as source_object_id,
        milestone.amount as amount_minor,
        invoice_milestones.currency,
        invoice_milestones.status,
        invoice_milestones.invoice_number as description
    from invoice_milestones
    where milestone.event_at is not null

),

events as (

    select * from payment_events
    union all
    select * from refund_events
    union all
    select * from dispute_events
    union all
    select * from subscription_events
    union all
    select * from invoice_events

),

final as (

    select
        events.object_id || ':' || events.event_type as event_id,
        persons.person_id,
        events.customer_id,
        events.gateway,
        events.account_id,
        events.event_at,
        events.event_type,
        events.object_type,
        events.object_id,
        events.source_object_id,
        customers.source_customer_id,
        events.amount_minor,
        events.currency,
        events.status,
        events.description

    from events
    inner join persons
        on events.customer_id = persons.customer_id
    inner join customers
        on events.customer_id = customers.customer_id

)

select * from final
