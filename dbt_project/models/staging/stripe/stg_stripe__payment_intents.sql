with

source as (

    select * from {{ source('stripe', 'payment_intents') }}

),

renamed as (

    select
        account_id,
        id as payment_intent_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.customer') }} as customer_id,
        {{ json_text('payload', '$.latest_charge') }} as latest_charge_id,
        -- Removed from 2025 versions (invoice_payments link invoices to intents instead).
        {{ json_text('payload', '$.invoice') }} as legacy_invoice_id,
        {{ json_text('payload', '$.status') }} as status,
        cast({{ json_value('payload', '$.amount') }} as bigint) as amount_minor,
        cast({{ json_value('payload', '$.amount_received') }} as bigint) as amount_received_minor,
        -- NULL when an older version does not send it (no changelog rule derives it).
        cast({{ json_value('payload', '$.amount_capturable') }} as bigint)
            as amount_capturable_minor,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        {{ epoch_to_utc(json_value('payload', '$.canceled_at')) }} as canceled_at,
        {{ json_text('payload', '$.cancellation_reason') }} as cancellation_reason,
        {{ json_text('payload', '$.description') }} as description,
        version_at,
        synced_at

    from source

)

select * from renamed
