with

source as (

    select * from {{ source('stripe', 'payment_intents') }}

),

renamed as (

    select
        account_id,
        id as payment_intent_id,
        {{ epoch_to_utc('created') }} as created_at,
        json_extract_string(payload, '$.customer') as customer_id,
        json_extract_string(payload, '$.latest_charge') as latest_charge_id,
        -- Removed from 2025 versions (invoice_payments link invoices to intents instead).
        json_extract_string(payload, '$.invoice') as legacy_invoice_id,
        json_extract_string(payload, '$.status') as status,
        cast(json_extract(payload, '$.amount') as bigint) as amount_minor,
        cast(json_extract(payload, '$.amount_received') as bigint) as amount_received_minor,
        -- NULL when an older version does not send it (no changelog rule derives it).
        cast(json_extract(payload, '$.amount_capturable') as bigint) as amount_capturable_minor,
        upper(json_extract_string(payload, '$.currency')) as currency,
        {{ epoch_to_utc("json_extract(payload, '$.canceled_at')") }} as canceled_at,
        json_extract_string(payload, '$.cancellation_reason') as cancellation_reason,
        json_extract_string(payload, '$.description') as description,
        version_at,
        synced_at

    from source

)

select * from renamed
