with

source as (

    select * from {{ source_if_landed('paypal', 'invoices') }}

),

renamed as (

    select
        account_id,
        id as invoice_id,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.detail.invoice_number') }} as invoice_number,
        {{ json_text('payload', '$.detail.reference') }} as reference,
        {{ json_text('payload', '$.detail.currency_code') }} as currency,
        cast({{ json_text('payload', '$.detail.invoice_date') }} as date) as invoice_date,
        cast({{ json_text('payload', '$.detail.payment_term.due_date') }} as date) as due_date,
        {{ epoch_to_utc('created') }} as created_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.detail.metadata.first_sent_time'))
        ) }} as first_sent_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.detail.metadata.last_update_time'))
        ) }} as last_updated_at,
        {{ json_text('payload', '$.primary_recipients[0].billing_info.email_address') }}
            as recipient_email,
        {{ json_text('payload', '$.amount.value') }} as total_value,
        {{ json_text('payload', '$.amount.breakdown.item_total.value') }} as item_total_value,
        {{ json_text('payload', '$.amount.breakdown.discount.invoice_discount.amount.value') }}
            as discount_value,
        {{ json_text('payload', '$.amount.breakdown.tax_total.value') }} as tax_total_value,
        {{ json_text('payload', '$.due_amount.value') }} as due_value,
        {{ json_text('payload', '$.payments.paid_amount.value') }} as paid_value,
        version_at,
        synced_at

    from source

)

select * from renamed
