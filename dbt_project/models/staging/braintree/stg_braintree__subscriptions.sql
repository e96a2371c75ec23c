with

source as (

    select * from {{ source_if_landed('braintree', 'subscriptions') }}

),

renamed as (

    select
        account_id,
        id as subscription_id,
        json_extract_string(payload, '$.status') as status,
        json_extract_string(payload, '$.plan_id') as plan_id,
        json_extract_string(payload, '$.price') as price_text,
        json_extract_string(payload, '$.balance') as balance_text,
        -- a subscription carries its currency only on its status events
        json_extract_string(payload, '$.status_history[#-1].currency_iso_code') as currency,
        json_extract_string(payload, '$.payment_method_token') as payment_method_token,
        json_extract_string(payload, '$.transactions[0].customer.id') as first_customer_id,
        json_extract_string(payload, '$.merchant_account_id') as merchant_account_id,
        cast(json_extract(payload, '$.trial_period') as boolean) as is_trial_period,
        cast(json_extract(payload, '$.trial_duration') as integer) as trial_duration,
        json_extract_string(payload, '$.trial_duration_unit') as trial_duration_unit,
        cast(json_extract(payload, '$.current_billing_cycle') as integer) as current_billing_cycle,
        cast(json_extract(payload, '$.days_past_due') as integer) as days_past_due,
        cast(json_extract_string(payload, '$.first_billing_date') as date) as first_billing_date,
        cast(json_extract_string(payload, '$.next_billing_date') as date) as next_billing_date,
        cast(json_extract_string(payload, '$.paid_through_date') as date) as paid_through_date,
        cast(
            json_extract_string(payload, '$.billing_period_start_date') as date
        ) as billing_period_start_date,
        cast(
            json_extract_string(payload, '$.billing_period_end_date') as date
        ) as billing_period_end_date,
        {{ braintree_utc_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ braintree_utc_timestamp("json_extract_string(payload, '$.updated_at')") }} as updated_at,
        version_at,
        synced_at

    from source

)

select * from renamed
