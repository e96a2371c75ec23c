-- Tax collected on paid invoices, by (tax rate country, percentage, currency); a reverse
-- charge is its own row (percentage 0, tax 0). Taxes without a tax rate group under a NULL
-- country and percentage.
with

invoice_taxes as (

    select * from {{ ref('int_invoice_taxes_unioned') }}

),

invoices as (

    select * from {{ ref('int_invoices_unioned') }}

),

paid_taxes as (

    select invoice_taxes.*
    from invoice_taxes
    inner join invoices
        on invoice_taxes.invoice_id = invoices.invoice_id
    where invoices.status = 'paid'

),

final as (

    select
        tax_country as country,
        tax_percentage as percentage,
        currency,
        is_reverse_charge,
        cast(sum(taxable_minor) as bigint) as taxable_minor,
        cast(sum(tax_minor) as bigint) as tax_minor,
        count(distinct invoice_id) as invoices_count

    from paid_taxes
    group by tax_country, tax_percentage, currency, is_reverse_charge

),

with_major as (

    select
        *,
        {{ to_major('taxable_minor', 'currency') }} as taxable_major,
        {{ to_major('tax_minor', 'currency') }} as tax_major
    from final

)

select * from with_major
