with

source as (

    select * from {{ source('stripe', 'refunds') }}

),

renamed as (

    select
        account_id,
        id as refund_id,
        {{ epoch_to_utc('created') }} as created_at,
        json_extract_string(payload, '$.charge') as charge_id,
        json_extract_string(payload, '$.payment_intent') as payment_intent_id,
        json_extract_string(payload, '$.status') as status,
        cast(json_extract(payload, '$.amount') as bigint) as amount_minor,
        upper(json_extract_string(payload, '$.currency')) as currency,
        json_extract_string(payload, '$.reason') as reason,
        json_extract_string(payload, '$.failure_reason') as failure_reason,
        json_extract_string(payload, '$.description') as description,
        json_extract_string(payload, '$.balance_transaction') as balance_transaction_id,
        version_at,
        synced_at

    from source

)

select * from renamed
