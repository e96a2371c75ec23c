with

invoices as (

    select * from {{ ref('stg_stripe__invoices') }}

),

invoice_taxes as (

    select * from {{ ref('stg_stripe__invoice_taxes') }}

),

tax_per_invoice as (

    select
        account_id,
        invoice_id,
        cast(sum(tax_minor) as bigint) as tax_minor,
        max(synced_at) as synced_at
    from invoice_taxes
    group by account_id, invoice_id

),

final as (

    select
        {{ scoped_id('stripe', 'invoices.account_id', 'invoices.invoice_id') }} as invoice_id,
        'stripe' as gateway,
        invoices.account_id,
        invoices.invoice_id as source_invoice_id,
        invoices.invoice_number,
        {{ scoped_id('stripe', 'invoices.account_id', 'invoices.customer_id') }} as customer_id,
        {{ scoped_id('stripe', 'invoices.account_id', 'invoices.subscription_id') }}
            as subscription_id,
        invoices.status,
        invoices.status as source_status,
        invoices.billing_reason,
        invoices.collection_method,
        invoices.currency,
        invoices.created_at,
        invoices.finalized_at,
        invoices.paid_at,
        invoices.voided_at,
        invoices.marked_uncollectible_at,
        invoices.due_at,
        invoices.period_started_at,
        invoices.period_ended_at,
        {{ to_iso_minor(
            'invoices.subtotal_minor', 'invoices.currency', 'stripe'
        ) }} as subtotal_minor,
        {{ to_iso_minor(
            'coalesce(invoices.discount_minor, 0)', 'invoices.currency', 'stripe'
        ) }} as discount_minor,
        -- The itemised taxes when present, else the single figure of older versions.
        {{ to_iso_minor(
            'coalesce(tax_per_invoice.tax_minor, invoices.legacy_tax_minor, 0)',
            'invoices.currency',
            'stripe'
        ) }} as tax_minor,
        {{ to_iso_minor('invoices.total_minor', 'invoices.currency', 'stripe') }} as total_minor,
        {{ to_iso_minor(
            'invoices.amount_due_minor', 'invoices.currency', 'stripe'
        ) }} as amount_due_minor,
        {{ to_iso_minor(
            'invoices.amount_paid_minor', 'invoices.currency', 'stripe'
        ) }} as amount_paid_minor,
        {{ to_iso_minor(
            'invoices.amount_remaining_minor', 'invoices.currency', 'stripe'
        ) }} as amount_remaining_minor,
        greatest(invoices.synced_at, tax_per_invoice.synced_at) as synced_at

    from invoices
    left join tax_per_invoice
        on
            invoices.account_id = tax_per_invoice.account_id
            and invoices.invoice_id = tax_per_invoice.invoice_id
    -- A deleted (draft) invoice is a tombstone: it never billed anyone.
    where not invoices.is_deleted

)

select * from final
