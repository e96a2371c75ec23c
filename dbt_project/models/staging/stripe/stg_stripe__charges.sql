with

source as (

    select * from {{ source('stripe', 'charges') }}

),

renamed as (

    select
        account_id,
        id as charge_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.customer') }} as customer_id,
        {{ json_text('payload', '$.payment_intent') }} as payment_intent_id,
        -- Older API versions link the invoice on the charge itself (gone since 2025).
        {{ json_text('payload', '$.invoice') }} as legacy_invoice_id,
        {{ json_text('payload', '$.status') }} as status,
        cast({{ json_value('payload', '$.amount') }} as bigint) as amount_minor,
        -- Older API versions lack amount_captured: Stripe's changelog gives it as the
        -- amount of a captured charge, else 0.
        coalesce(
            cast({{ json_value('payload', '$.amount_captured') }} as bigint),
            case
                when cast({{ json_value('payload', '$.captured') }} as boolean)
                    then cast({{ json_value('payload', '$.amount') }} as bigint)
                else 0
            end
        ) as amount_captured_minor,
        cast({{ json_value('payload', '$.amount_refunded') }} as bigint) as amount_refunded_minor,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        cast({{ json_value('payload', '$.captured') }} as boolean) as is_captured,
        cast({{ json_value('payload', '$.paid') }} as boolean) as is_paid,
        cast({{ json_value('payload', '$.refunded') }} as boolean) as is_refunded,
        cast({{ json_value('payload', '$.disputed') }} as boolean) as is_disputed,
        {{ json_text('payload', '$.payment_method_details.type') }} as payment_method_type,
        {{ json_text('payload', '$.payment_method_details.card.brand') }} as card_brand,
        {{ json_text('payload', '$.payment_method_details.card.last4') }} as card_last4,
        {{ json_text('payload', '$.billing_details.email') }} as billing_email,
        {{ json_text('payload', '$.failure_code') }} as failure_code,
        {{ json_text('payload', '$.failure_message') }} as failure_message,
        {{ json_text('payload', '$.outcome.type') }} as outcome_type,
        {{ json_text('payload', '$.description') }} as description,
        {{ json_text('payload', '$.balance_transaction') }} as balance_transaction_id,
        version_at,
        synced_at

    from source

)

select * from renamed
