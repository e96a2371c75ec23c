-- PayPal subscriptions, canonical status from PayPal's (ACTIVE splits into trialing, past_due
-- and active by the billing info).
with

subscriptions as (

    select * from {{ ref('stg_paypal__subscriptions') }}

),

plans as (

    select * from {{ ref('stg_paypal__plans') }}

),

final as (

    select
        {{ scoped_id('paypal', 'subscriptions.account_id', 'subscriptions.subscription_id') }}
            as subscription_id,
        'paypal' as gateway,
        subscriptions.account_id,
        subscriptions.subscription_id as source_subscription_id,
        {{ scoped_id('paypal', 'subscriptions.account_id', 'subscriptions.payer_id') }}
            as customer_id,
        case
            when subscriptions.status = 'ACTIVE' and subscriptions.is_in_trial then 'trialing'
            when subscriptions.status = 'ACTIVE' and subscriptions.failed_payments_count > 0
                then 'past_due'
            when subscriptions.status = 'ACTIVE' then 'active'
            when subscriptions.status = 'SUSPENDED' then 'paused'
            when subscriptions.status = 'CANCELLED' then 'canceled'
            when subscriptions.status = 'EXPIRED' then 'expired'
            else 'pending'
        end as status,
        subscriptions.status as source_status,
        plans.currency,
        'charge_automatically' as collection_method,
        subscriptions.created_at,
        subscriptions.started_at,
        cast(null as timestamp) as trial_started_at,
        cast(null as timestamp) as trial_ended_at,
        cast(null as timestamp) as cancel_at,
        case when subscriptions.status = 'CANCELLED' then subscriptions.status_updated_at end
            as canceled_at,
        case
            when
                subscriptions.status in ('CANCELLED', 'EXPIRED')
                then subscriptions.status_updated_at
        end
            as ended_at,
        false as is_cancel_at_period_end,
        cast(null as timestamp) as current_period_started_at,
        subscriptions.next_billing_at as current_period_ends_at,
        subscriptions.status_change_note as cancellation_reason,
        greatest(subscriptions.synced_at, plans.synced_at) as synced_at

    from subscriptions
    left join plans
        on
            subscriptions.account_id = plans.account_id
            and subscriptions.plan_id = plans.plan_id

)

select * from final
