-- Stripe credit notes, lines in stg_stripe__credit_note_lines.
with

source as (

    select * from {{ source_if_landed('stripe', 'credit_notes') }}

),

renamed as (

    select
        account_id,
        id as credit_note_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.number') }} as credit_note_number,
        {{ json_text('payload', '$.invoice') }} as invoice_id,
        {{ json_text('payload', '$.customer') }} as customer_id,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.type') }} as credit_note_type,
        {{ json_text('payload', '$.reason') }} as reason,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        cast({{ json_value('payload', '$.amount') }} as bigint) as amount_minor,
        cast({{ json_value('payload', '$.amount_shipping') }} as bigint) as amount_shipping_minor,
        cast({{ json_value('payload', '$.subtotal') }} as bigint) as subtotal_minor,
        cast({{ json_value('payload', '$.subtotal_excluding_tax') }} as bigint)
            as subtotal_excluding_tax_minor,
        cast({{ json_value('payload', '$.total') }} as bigint) as total_minor,
        cast({{ json_value('payload', '$.total_excluding_tax') }} as bigint)
            as total_excluding_tax_minor,
        cast({{ json_value('payload', '$.discount_amount') }} as bigint) as discount_minor,
        -- total_taxes (2025+ versions) or the older tax_amounts.
        cast(coalesce(
            {{ json_array_aggregate('sum', 'payload', '$.total_taxes', 'amount') }},
            {{ json_array_aggregate('sum', 'payload', '$.tax_amounts', 'amount') }},
            0
        ) as bigint) as tax_minor,
        cast({{ json_value('payload', '$.pre_payment_amount') }} as bigint) as pre_payment_minor,
        cast({{ json_value('payload', '$.post_payment_amount') }} as bigint) as post_payment_minor,
        cast({{ json_value('payload', '$.out_of_band_amount') }} as bigint) as out_of_band_minor,
        -- Refunds it created: `refunds[]` (2025+ versions) or the older single `refund`.
        case
            when {{ json_is_array('payload', '$.refunds') }}
                then {{ json_texts_of('payload', '$.refunds', 'refund') }}
            when {{ json_text('payload', '$.refund') }} is not null
                then {{ text_array_of(json_text('payload', '$.refund')) }}
            else {{ empty_text_array() }}
        end as refund_ids,
        {{ json_text('payload', '$.customer_balance_transaction') }}
            as customer_balance_transaction_id,
        {{ json_text('payload', '$.memo') }} as memo,
        {{ epoch_to_utc(json_value('payload', '$.effective_at')) }} as effective_at,
        {{ epoch_to_utc(json_value('payload', '$.voided_at')) }} as voided_at,
        version_at,
        synced_at

    from source

)

select * from renamed
