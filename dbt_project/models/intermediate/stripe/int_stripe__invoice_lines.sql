with

invoice_lines as (

    select * from {{ ref('stg_stripe__invoice_lines') }}

),

final as (

    select
        {{ scoped_id('stripe', 'account_id', "invoice_id || ':' || invoice_line_id") }}
            as invoice_line_id,
        'stripe' as gateway,
        account_id,
        invoice_line_id as source_invoice_line_id,
        {{ scoped_id('stripe', 'account_id', 'invoice_id') }} as invoice_id,
        {{ scoped_id('stripe', 'account_id', 'subscription_id') }} as subscription_id,
        description,
        {{ to_iso_minor('amount_minor', 'currency', 'stripe') }} as amount_minor,
        {{ to_iso_minor('coalesce(discount_minor, 0)', 'currency', 'stripe') }} as discount_minor,
        {{ to_iso_minor('coalesce(tax_minor, 0)', 'currency', 'stripe') }} as tax_minor,
        currency,
        quantity,
        price_id,
        product_id,
        is_proration,
        period_started_at,
        period_ended_at,
        synced_at

    from invoice_lines

)

select * from final
