with

source as (

    select * from {{ source_if_landed('braintree', 'transactions') }}

),

renamed as (

    select
        account_id,
        id as transaction_id,
        {{ json_text('payload', '$.type') }} as transaction_type,
        {{ json_text('payload', '$.status') }} as status,
        -- decimal text as sent, in the currency's exponent: converted in intermediate
        {{ json_text('payload', '$.amount') }} as amount_text,
        {{ json_text('payload', '$.currency_iso_code') }} as currency,
        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        {{ braintree_utc_timestamp(json_text('payload', '$.updated_at')) }} as updated_at,
        {{ json_text('payload', '$.customer.id') }} as customer_id,
        {{ json_text('payload', '$.refunded_transaction_id') }} as refunded_transaction_id,
        {{ json_text('payload', '$.subscription_id') }} as subscription_id,
        {{ json_text('payload', '$.plan_id') }} as plan_id,
        {{ json_text('payload', '$.order_id') }} as order_id,
        {{ json_text('payload', '$.merchant_account_id') }} as merchant_account_id,
        {{ json_text('payload', '$.payment_instrument_type') }} as payment_instrument_type,
        {{ json_text('payload', '$.credit_card.card_type') }} as card_type,
        {{ json_text('payload', '$.credit_card.last_4') }} as card_last4,
        {{ json_text('payload', '$.processor_response_code') }} as processor_response_code,
        {{ json_text('payload', '$.processor_response_text') }} as processor_response_text,
        {{ json_text('payload', '$.processor_response_type') }} as processor_response_type,
        {{ json_text('payload', '$.settlement_batch_id') }} as settlement_batch_id,
        cast(
            {{ json_text('payload', '$.disbursement_details.disbursement_date') }} as date
        ) as disbursement_date,
        coalesce({{ json_array_size('payload', '$.disputes') }}, 0) as disputes_count,
        version_at,
        synced_at

    from source

)

select * from renamed
