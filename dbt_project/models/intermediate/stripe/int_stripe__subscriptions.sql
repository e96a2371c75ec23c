with

subscriptions as (

    select * from {{ ref('stg_stripe__subscriptions') }}

),

final as (

    select
        {{ scoped_id('stripe', 'account_id', 'subscription_id') }} as subscription_id,
        'stripe' as gateway,
        account_id,
        subscription_id as source_subscription_id,
        {{ scoped_id('stripe', 'account_id', 'customer_id') }} as customer_id,
        case status
            when 'unpaid' then 'past_due'
            when 'incomplete_expired' then 'expired'
            else status
        end as status,
        status as source_status,
        currency,
        collection_method,
        created_at,
        started_at,
        trial_started_at,
        trial_ended_at,
        cancel_at,
        canceled_at,
        ended_at,
        is_cancel_at_period_end,
        current_period_started_at,
        current_period_ends_at,
        cancellation_reason,
        synced_at

    from subscriptions

)

select * from final
