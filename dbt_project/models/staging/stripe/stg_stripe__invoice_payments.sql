-- Which payment intents (and, for old shapes, charges) paid an invoice: 2025+ versions
-- list invoice_payment objects under `payments`; older ones name the charge on the invoice.
with

source as (

    select * from {{ source('stripe', 'invoices') }}

),

unnested as (

    select
        account_id,
        id as invoice_id,
        unnest(json_extract(payload, '$.payments.data[*]')) as invoice_payment
    from source

),

renamed as (

    select
        account_id,
        coalesce(
            json_extract_string(invoice_payment, '$.id'),
            invoice_id || ':' || json_extract_string(invoice_payment, '$.payment.payment_intent')
        ) as invoice_payment_id,
        invoice_id,
        json_extract_string(invoice_payment, '$.payment.type') as payment_type,
        json_extract_string(invoice_payment, '$.payment.payment_intent') as payment_intent_id,
        json_extract_string(invoice_payment, '$.payment.charge') as charge_id,
        json_extract_string(invoice_payment, '$.status') as status,
        cast(json_extract(invoice_payment, '$.amount_paid') as bigint) as amount_paid_minor,
        upper(json_extract_string(invoice_payment, '$.currency')) as currency,
        cast(json_extract(invoice_payment, '$.is_default') as boolean) as is_default

    from unnested

)

select * from renamed
