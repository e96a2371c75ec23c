with

credit_notes as (

    select * from {{ ref('stg_stripe__credit_notes') }}

),

final as (

    select
        {{ scoped_id('stripe', 'account_id', 'credit_note_id') }} as credit_note_id,
        'stripe' as gateway,
        account_id,
        credit_note_id as source_credit_note_id,
        {{ scoped_id('stripe', 'account_id', 'invoice_id') }} as invoice_id,
        {{ scoped_id('stripe', 'account_id', 'customer_id') }} as customer_id,
        credit_note_number,
        status,
        status as source_status,
        credit_note_type,
        reason,
        currency,
        created_at,
        effective_at,
        voided_at,
        {{ to_iso_minor('subtotal_minor', 'currency', 'stripe') }} as subtotal_minor,
        {{ to_iso_minor('coalesce(discount_minor, 0)', 'currency', 'stripe') }} as discount_minor,
        {{ to_iso_minor('tax_minor', 'currency', 'stripe') }} as tax_minor,
        {{ to_iso_minor('total_minor', 'currency', 'stripe') }} as total_minor,
        {{ to_iso_minor('pre_payment_minor', 'currency', 'stripe') }} as pre_payment_minor,
        {{ to_iso_minor('post_payment_minor', 'currency', 'stripe') }} as post_payment_minor,
        {{ to_iso_minor('out_of_band_minor', 'currency', 'stripe') }} as out_of_band_minor,
        cast({{ array_size('refund_ids') }} as bigint) as refunds_count,
        synced_at

    from credit_notes

)

select * from final
