-- One row per billing event of a person, for the agents' customer lookup: one timeline
-- across gateways, each row naming its gateway, account and the gateway's own ids. Event
-- types are listed in DECISIONLOG.md; an event of an object without a customer has no
-- person and is left out. An incremental run replaces every event of an object landed since
-- the last build, of a customer landed since, or whose person changed (macros/incremental.sql).
{{ config(
    materialized=ledgerdesk.incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='object_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('object_id', ledgerdesk.timeline_objects()) }}",
) }}
{% set changed -%}
    {%- if is_incremental() %}
    where
        synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        or customer_id in ({{ ledgerdesk.remapped_customers() }})
        or customer_id in (
            select customer_id from {{ ref('int_customers_unioned') }}
            where synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        )
    {%- endif %}
{%- endset %}
with

persons as (

    select * from {{ ref('int_persons') }}

),

customers as (

    select * from {{ ref('int_customers_unioned') }}

),

payments as (

    select * from {{ ref('int_payments_unioned') }}
    {{ changed }}

),

refunds as (

    select * from {{ ref('int_refunds_unioned') }}
    {{ changed }}

),

disputes as (

    select * from {{ ref('int_disputes_unioned') }}
    {{ changed }}

),

subscriptions as (

    select * from {{ ref('int_subscriptions_unioned') }}
    {{ changed }}

),

invoices as (

    select * from {{ ref('int_invoices_unioned') }}
    {{ changed }}

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
        coalesce(failure_message, description) as description,
        synced_at
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
        coalesce(reason, description) as description,
        synced_at
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
        reason as description,
        synced_at
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
        reason as description,
        synced_at
    from disputes
    where status in ('won', 'lost') and closed_at is not null

),

subscription_milestones as (

    -- One row per subscription and milestone type (plain SQL on every engine: a cross join
    -- with the list of types, the time picked per type).
    select
        subscriptions.customer_id,
        subscriptions.gateway,
        subscriptions.account_id,
        subscriptions.subscription_id,
        subscriptions.source_subscription_id,
        subscriptions.currency,
        subscriptions.status,
        subscriptions.synced_at,
        milestone_types.event_type,
        case milestone_types.event_type
            when 'subscription_started' then subscriptions.started_at
            when 'trial_started' then subscriptions.trial_started_at
            -- A trial's end is an event once it has passed: not while still trialing.
            when 'trial_ended'
                then
                    case
                        when subscriptions.status != 'trialing' then subscriptions.trial_ended_at
                    end
            when 'subscription_canceled' then subscriptions.canceled_at
            when 'subscription_ended' then subscriptions.ended_at
        end as event_at
    from subscriptions
    cross join (
        values
        ('subscription_started'),
        ('trial_started'),
        ('trial_ended'),
        ('subscription_canceled'),
        ('subscription_ended')
    ) as milestone_types (event_type)

),

subscription_events as (

    select
        customer_id,
        gateway,
        account_id,
        event_at,
        event_type,
        'subscription' as object_type,
        subscription_id as object_id,
        source_subscription_id as source_object_id,
        cast(null as bigint) as amount_minor,
        currency,
        status,
        cast(null as {{ ledgerdesk.text_type() }}) as description,
        synced_at
    from subscription_milestones
    where event_at is not null

),

invoice_milestones as (

    select
        invoices.customer_id,
        invoices.gateway,
        invoices.account_id,
        invoices.invoice_id,
        invoices.source_invoice_id,
        invoices.currency,
        invoices.status,
        invoices.invoice_number,
        invoices.synced_at,
        milestone_types.event_type,
        case milestone_types.event_type
            when 'invoice_finalized' then invoices.finalized_at
            when 'invoice_paid' then invoices.paid_at
            when 'invoice_voided' then invoices.voided_at
            when 'invoice_marked_uncollectible' then invoices.marked_uncollectible_at
        end as event_at,
        case milestone_types.event_type
            when 'invoice_paid' then invoices.amount_paid_minor
            when 'invoice_marked_uncollectible' then invoices.amount_remaining_minor
            else invoices.total_minor
        end as amount_minor
    from invoices
    cross join (
        values
        ('invoice_finalized'),
        ('invoice_paid'),
        ('invoice_voided'),
        ('invoice_marked_uncollectible')
    ) as milestone_types (event_type)

),

invoice_events as (

    select
        customer_id,
        gateway,
        account_id,
        event_at,
        event_type,
        'invoice' as object_type,
        invoice_id as object_id,
        source_invoice_id as source_object_id,
        amount_minor,
        currency,
        status,
        invoice_number as description,
        synced_at
    from invoice_milestones
    where event_at is not null

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
        events.description,
        greatest(events.synced_at, customers.synced_at) as synced_at

    from events
    inner join persons
        on events.customer_id = persons.customer_id
    inner join customers
        on events.customer_id = customers.customer_id

)

select * from final
