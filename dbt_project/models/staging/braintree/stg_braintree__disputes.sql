with

source as (

    select * from {{ source_if_landed('braintree', 'disputes') }}

),

renamed as (

    select
        account_id,
        id as dispute_id,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.kind') }} as kind,
        {{ json_text('payload', '$.reason') }} as reason,
        {{ json_text('payload', '$.amount_disputed') }} as amount_disputed_text,
        {{ json_text('payload', '$.amount_won') }} as amount_won_text,
        {{ json_text('payload', '$.currency_iso_code') }} as currency,
        {{ json_text('payload', '$.transaction.id') }} as transaction_id,
        cast({{ json_text('payload', '$.received_date') }} as date) as received_date,
        cast({{ json_text('payload', '$.reply_by_date') }} as date) as reply_by_date,
        {{ braintree_utc_timestamp(json_text('payload', '$.response_deadline')) }}
            as response_deadline_at,
        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        {{ braintree_utc_timestamp(json_text('payload', '$.updated_at')) }} as updated_at,
        version_at,
        synced_at

    from source

)

select * from renamed
