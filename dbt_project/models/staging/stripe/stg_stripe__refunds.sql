with

source as (

    select * from {{ source('stripe', 'refunds') }}

),

renamed as (

    select
        account_id,
        id as refund_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.charge') }} as charge_id,
        {{ json_text('payload', '$.payment_intent') }} as payment_intent_id,
        {{ json_text('payload', '$.status') }} as status,
        cast({{ json_value('payload', '$.amount') }} as bigint) as amount_minor,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        {{ json_text('payload', '$.reason') }} as reason,
        {{ json_text('payload', '$.failure_reason') }} as failure_reason,
        {{ json_text('payload', '$.description') }} as description,
        {{ json_text('payload', '$.balance_transaction') }} as balance_transaction_id,
        version_at,
        synced_at

    from source

)

select * from renamed
