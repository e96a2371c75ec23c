-- Braintree subscriptions: Active (a trial while `trial_period` and not billed yet: its next
-- billing date is still its first), Past Due, Pending, Canceled, Expired. Braintree cancels at
-- once: canceled_at and ended_at are when the status history reaches Canceled.
with

subscriptions as (

    select * from {{ ref('stg_braintree__subscriptions') }}

),

events as (

    select * from {{ ref('stg_braintree__subscription_status_events') }}

),

payment_methods as (

    select * from {{ ref('stg_braintree__payment_methods') }}

),

ended as (

    select
        account_id,
        subscription_id,
        max(case when status = 'Canceled' then changed_at end) as canceled_at,
        max(case when status in ('Canceled', 'Expired') then changed_at end) as ended_at
    from events
    group by account_id, subscription_id

),

final as (

    select
        {{ scoped_id('braintree', 'subscriptions.account_id', 'subscriptions.subscription_id') }}
            as subscription_id,
        'braintree' as gateway,
        subscriptions.account_id,
        subscriptions.subscription_id as source_subscription_id,
        {{ scoped_id(
            'braintree',
            'subscriptions.account_id',
            'coalesce(payment_methods.customer_id, subscriptions.first_customer_id)'
        ) }} as customer_id,
        case
            when
                subscriptions.status = 'Active'
                and subscriptions.is_trial_period
                and subscriptions.next_billing_date = subscriptions.first_billing_date
                then 'trialing'
            when subscriptions.status = 'Active' then 'active'
            when subscriptions.status = 'Past Due' then 'past_due'
            when subscriptions.status = 'Pending' then 'pending'
            when subscriptions.status = 'Canceled' then 'canceled'
            when subscriptions.status = 'Expired' then 'expired'
        end as status,
        subscriptions.status as source_status,
        subscriptions.currency,
        'charge_automatically' as collection_method,
        subscriptions.created_at,
        subscriptions.created_at as started_at,
        case when subscriptions.is_trial_period then subscriptions.created_at end
            as trial_started_at,
        case
            when subscriptions.is_trial_period
                then cast(subscriptions.first_billing_date as timestamp)
        end as trial_ended_at,
        cast(null as timestamp) as cancel_at,
        ended.canceled_at,
        ended.ended_at,
        false as is_cancel_at_period_end,
        cast(subscriptions.billing_period_start_date as timestamp) as current_period_started_at,
        -- Braintree's period end date is its last day: the period ends the day after
        cast(subscriptions.billing_period_end_date + interval '1 day' as timestamp)
            as current_period_ends_at,
        cast(null as {{ ledgerdesk.text_type() }}) as cancellation_reason,
        greatest(subscriptions.synced_at, payment_methods.synced_at) as synced_at

    from subscriptions
    left join ended
        on
            subscriptions.account_id = ended.account_id
            and subscriptions.subscription_id = ended.subscription_id
    left join payment_methods
        on
            subscriptions.account_id = payment_methods.account_id
            and subscriptions.payment_method_token = payment_methods.payment_method_token

)

select * from final
