with

source as (

    select * from {{ source_if_landed('braintree', 'transactions') }}

),

renamed as (

    select
        account_id,
        id as transaction_id,
        json_extract_string(payload, '$.type') as transaction_type,
        json_extract_string(payload, '$.status') as status,
        -- decimal text as sent, in the currency's exponent: converted in intermediate
        json_extract_string(payload, '$.amount') as amount_text,
        json_extract_string(payload, '$.currency_iso_code') as currency,
        {{ braintree_utc_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ braintree_utc_timestamp("json_extract_string(payload, '$.updated_at')") }} as updated_at,
        json_extract_string(payload, '$.customer.id') as customer_id,
        json_extract_string(payload, '$.refunded_transaction_id') as refunded_transaction_id,
        json_extract_string(payload, '$.subscription_id') as subscription_id,
        json_extract_string(payload, '$.plan_id') as plan_id,
        json_extract_string(payload, '$.order_id') as order_id,
        json_extract_string(payload, '$.merchant_account_id') as merchant_account_id,
        json_extract_string(payload, '$.payment_instrument_type') as payment_instrument_type,
        json_extract_string(payload, '$.credit_card.card_type') as card_type,
        json_extract_string(payload, '$.credit_card.last_4') as card_last4,
        json_extract_string(payload, '$.processor_response_code') as processor_response_code,
        json_extract_string(payload, '$.processor_response_text') as processor_response_text,
        json_extract_string(payload, '$.processor_response_type') as processor_response_type,
        json_extract_string(payload, '$.settlement_batch_id') as settlement_batch_id,
        cast(
            json_extract_string(payload, '$.disbursement_details.disbursement_date') as date
        ) as disbursement_date,
        coalesce(json_array_length(payload, '$.disputes'), 0) as disputes_count,
        version_at,
        synced_at

    from source

)

select * from renamed
