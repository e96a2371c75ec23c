with

source as (

    select * from {{ source('stripe', 'balance_transactions') }}

),

renamed as (

    select
        account_id,
        id as balance_transaction_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ epoch_to_utc(json_value('payload', '$.available_on')) }} as available_at,
        {{ json_text('payload', '$.type') }} as transaction_type,
        {{ json_text('payload', '$.reporting_category') }} as reporting_category,
        {{ json_text('payload', '$.source') }} as source_id,
        {{ json_text('payload', '$.status') }} as status,
        cast({{ json_value('payload', '$.amount') }} as bigint) as amount_minor,
        cast({{ json_value('payload', '$.fee') }} as bigint) as fee_minor,
        cast({{ json_value('payload', '$.net') }} as bigint) as net_minor,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        {{ json_text('payload', '$.description') }} as description,
        version_at,
        synced_at

    from source

)

select * from renamed
