-- Which payment intent (or, for out-of-band payments, charge) paid or tries to pay an
-- invoice: Stripe's invoice_payments list. Never `invoice.payments`, which
-- Stripe sends only when expanded.
with

source as (

    select * from {{ source_if_landed('stripe', 'invoice_payments') }}

),

renamed as (

    select
        account_id,
        id as invoice_payment_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.invoice') }} as invoice_id,
        {{ json_text('payload', '$.payment.type') }} as payment_type,
        {{ json_text('payload', '$.payment.payment_intent') }} as payment_intent_id,
        {{ json_text('payload', '$.payment.charge') }} as charge_id,
        {{ json_text('payload', '$.status') }} as status,
        cast({{ json_value('payload', '$.amount_paid') }} as bigint) as amount_paid_minor,
        cast({{ json_value('payload', '$.amount_requested') }} as bigint) as amount_requested_minor,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        cast({{ json_value('payload', '$.is_default') }} as boolean) as is_default,
        {{ epoch_to_utc(json_value('payload', '$.status_transitions.paid_at')) }} as paid_at,
        {{ epoch_to_utc(json_value('payload', '$.status_transitions.canceled_at')) }}
            as canceled_at,
        version_at,
        synced_at

    from source

)

select * from renamed
