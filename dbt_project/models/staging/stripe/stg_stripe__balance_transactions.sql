with

source as (

    select * from {{ source('stripe', 'balance_transactions') }}

),

renamed as (

    select
        account_id,
        id as balance_transaction_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ epoch_to_utc("json_extract(payload, '$.available_on')") }} as available_at,
        json_extract_string(payload, '$.type') as transaction_type,
        json_extract_string(payload, '$.reporting_category') as reporting_category,
        json_extract_string(payload, '$.source') as source_id,
        json_extract_string(payload, '$.status') as status,
        cast(json_extract(payload, '$.amount') as bigint) as amount_minor,
        cast(json_extract(payload, '$.fee') as bigint) as fee_minor,
        cast(json_extract(payload, '$.net') as bigint) as net_minor,
        upper(json_extract_string(payload, '$.currency')) as currency,
        json_extract_string(payload, '$.description') as description,
        version_at,
        synced_at

    from source

)

select * from renamed
