with

source as (

    select * from {{ source_if_landed('braintree', 'subscriptions') }}

),

renamed as (

    select
        account_id,
        id as subscription_id,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.plan_id') }} as plan_id,
        {{ json_text('payload', '$.price') }} as price_text,
        {{ json_text('payload', '$.balance') }} as balance_text,
        -- a subscription carries its currency only on its status events
        {{ json_text('payload', '$.status_history[#-1].currency_iso_code') }} as currency,
        {{ json_text('payload', '$.payment_method_token') }} as payment_method_token,
        {{ json_text('payload', '$.transactions[0].customer.id') }} as first_customer_id,
        {{ json_text('payload', '$.merchant_account_id') }} as merchant_account_id,
        cast({{ json_value('payload', '$.trial_period') }} as boolean) as is_trial_period,
        cast({{ json_value('payload', '$.trial_duration') }} as integer) as trial_duration,
        {{ json_text('payload', '$.trial_duration_unit') }} as trial_duration_unit,
        cast({{ json_value('payload', '$.current_billing_cycle') }} as integer)
            as current_billing_cycle,
        cast({{ json_value('payload', '$.days_past_due') }} as integer) as days_past_due,
        cast({{ json_text('payload', '$.first_billing_date') }} as date) as first_billing_date,
        cast({{ json_text('payload', '$.next_billing_date') }} as date) as next_billing_date,
        cast({{ json_text('payload', '$.paid_through_date') }} as date) as paid_through_date,
        cast(
            {{ json_text('payload', '$.billing_period_start_date') }} as date
        ) as billing_period_start_date,
        cast(
            {{ json_text('payload', '$.billing_period_end_date') }} as date
        ) as billing_period_end_date,
        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        {{ braintree_utc_timestamp(json_text('payload', '$.updated_at')) }} as updated_at,
        version_at,
        synced_at

    from source

)

select * from renamed
