{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_invoices'}}}) }}
-- Staged invoices equal fct_invoices per currency and status: count, subtotal, total,
-- amount paid; invoice lines and taxes arrive whole (staged line and tax sums equal the
-- mart's lines_count and tax_minor). Staged money is in Stripe's units: it is converted to
-- ISO 4217 minor units row by row, as int_stripe__invoices converts it, before summing.
with

staged_taxes as (

    select
        account_id,
        invoice_id,
        sum(tax_minor) as tax_minor
    from {{ ref('stg_stripe__invoice_taxes') }}
    group by account_id, invoice_id

),

staged_lines as (

    select
        account_id,
        invoice_id,
        count(*) as lines_count
    from {{ ref('stg_stripe__invoice_lines') }}
    group by account_id, invoice_id

),

staged as (

    select
        invoices.currency,
        invoices.status,
        count(*) as invoices_count,
        sum({{ to_iso_minor('invoices.subtotal_minor', 'invoices.currency', 'stripe') }})
            as subtotal_minor,
        sum({{ to_iso_minor(
            'invoices.total_minor', 'invoices.currency', 'stripe'
        ) }}) as total_minor,
        sum({{ to_iso_minor('invoices.amount_paid_minor', 'invoices.currency', 'stripe') }})
            as amount_paid_minor,
        sum({{ to_iso_minor(
            'coalesce(staged_taxes.tax_minor, invoices.legacy_tax_minor, 0)',
            'invoices.currency',
            'stripe'
        ) }}) as tax_minor,
        sum(coalesce(staged_lines.lines_count, 0)) as lines_count
    from {{ ref('stg_stripe__invoices') }} as invoices
    left join staged_taxes
        on
            invoices.account_id = staged_taxes.account_id
            and invoices.invoice_id = staged_taxes.invoice_id
    left join staged_lines
        on
            invoices.account_id = staged_lines.account_id
            and invoices.invoice_id = staged_lines.invoice_id
    -- Tombstones (deleted drafts) are left out of the marts.
    where not invoices.is_deleted
    group by invoices.currency, invoices.status

),

mart as (

    select
        currency,
        status,
        count(*) as invoices_count,
        sum(subtotal_minor) as subtotal_minor,
        sum(total_minor) as total_minor,
        sum(amount_paid_minor) as amount_paid_minor,
        sum(tax_minor) as tax_minor,
        sum(lines_count) as lines_count
    from {{ ref('fct_invoices') }}
    where gateway = 'stripe'
    group by currency, status

)

select
    coalesce(staged.currency, mart.currency) as currency,
    coalesce(staged.status, mart.status) as status
from staged
full outer join mart
    on staged.currency = mart.currency and staged.status = mart.status
where
    staged.invoices_count is distinct from mart.invoices_count
    or staged.subtotal_minor is distinct from mart.subtotal_minor
    or staged.total_minor is distinct from mart.total_minor
    or staged.amount_paid_minor is distinct from mart.amount_paid_minor
    or staged.tax_minor is distinct from mart.tax_minor
    or staged.lines_count is distinct from mart.lines_count
