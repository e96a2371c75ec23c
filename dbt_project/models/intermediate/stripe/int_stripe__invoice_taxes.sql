with

invoice_taxes as (

    select * from {{ ref('stg_stripe__invoice_taxes') }}

),

invoices as (

    select * from {{ ref('stg_stripe__invoices') }}

),

tax_rates as (

    select * from {{ ref('stg_stripe__tax_rates') }}

),

final as (

    select
        {{ scoped_id('stripe', 'invoice_taxes.account_id', 'invoice_taxes.invoice_tax_id') }}
            as invoice_tax_id,
        'stripe' as gateway,
        invoice_taxes.account_id,
        {{ scoped_id('stripe', 'invoice_taxes.account_id', 'invoice_taxes.invoice_id') }}
            as invoice_id,
        {{ scoped_id('stripe', 'invoice_taxes.account_id', 'invoice_taxes.tax_rate_id') }}
            as tax_rate_id,
        tax_rates.country as tax_country,
        tax_rates.state as tax_state,
        tax_rates.percentage as tax_percentage,
        tax_rates.display_name as tax_name,
        invoice_taxes.taxability_reason,
        coalesce(invoice_taxes.taxability_reason = 'reverse_charge', false)
            as is_reverse_charge,
        coalesce(invoice_taxes.is_inclusive, false) as is_inclusive,
        {{ to_iso_minor(
            'invoice_taxes.taxable_minor', 'invoices.currency', 'stripe'
        ) }} as taxable_minor,
        {{ to_iso_minor('invoice_taxes.tax_minor', 'invoices.currency', 'stripe') }} as tax_minor,
        invoices.currency,
        greatest(invoice_taxes.synced_at, invoices.synced_at, tax_rates.synced_at) as synced_at

    from invoice_taxes
    inner join invoices
        on
            invoice_taxes.account_id = invoices.account_id
            and invoice_taxes.invoice_id = invoices.invoice_id
    left join tax_rates
        on
            invoice_taxes.account_id = tax_rates.account_id
            and invoice_taxes.tax_rate_id = tax_rates.tax_rate_id

)

select * from final
