with

subscriptions as (

    select * from {{ ref('int_subscriptions_unioned') }}

),

persons as (

    select * from {{ ref('int_persons') }}

),

final as (

    select
        subscriptions.subscription_id,
        subscriptions.gateway,
        subscriptions.account_id,
        subscriptions.source_subscription_id,
        persons.person_id,
        subscriptions.customer_id,
        subscriptions.status,
        subscriptions.source_status,
        -- Counts towards MRR: active or past due. Stripe's unpaid is canonical past_due (its
        -- invoices are no longer retried) but never counted: the rule keeps its meaning.
        subscriptions.status in ('active', 'past_due')
        and not (subscriptions.gateway = 'stripe' and subscriptions.source_status = 'unpaid')
            as is_active,
        subscriptions.currency,
        subscriptions.collection_method,
        subscriptions.created_at,
        subscriptions.started_at,
        subscriptions.trial_started_at,
        subscriptions.trial_ended_at,
        subscriptions.cancel_at,
        subscriptions.canceled_at,
        subscriptions.ended_at,
        subscriptions.is_cancel_at_period_end,
        subscriptions.current_period_started_at,
        subscriptions.current_period_ends_at,
        subscriptions.cancellation_reason

    from subscriptions
    left join persons
        on subscriptions.customer_id = persons.customer_id

)

select * from final
