{{ config(
    materialized=ledgerdesk.incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='invoice_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('invoice_id', 'select invoice_id from ' ~ ref('int_invoices_unioned')) }}",
) }}
with

-- An incremental run: the invoices landed since the last build (or whose lines were), and
-- the invoices whose person changed (macros/incremental.sql).
invoices as (

    select * from {{ ref('int_invoices_unioned') }}
    {% if is_incremental() %}
    where
        synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        or customer_id in ({{ ledgerdesk.remapped_customers() }})
        or invoice_id in (
            select invoice_id from {{ ref('int_invoice_lines_unioned') }}
            where synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        )
    {% endif %}

),

invoice_lines as (

    select * from {{ ref('int_invoice_lines_unioned') }}

),

persons as (

    select * from {{ ref('int_persons') }}

),

lines_per_invoice as (

    select
        invoice_id,
        count(*) as lines_count,
        count(*) filter (where is_proration) as proration_lines_count,
        max(synced_at) as synced_at
    from invoice_lines
    group by invoice_id

),

final as (

    select
        invoices.invoice_id,
        invoices.gateway,
        invoices.account_id,
        invoices.source_invoice_id,
        invoices.invoice_number,
        persons.person_id,
        invoices.customer_id,
        invoices.subscription_id,
        invoices.status,
        invoices.source_status,
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
        coalesce(lines_per_invoice.lines_count, 0) as lines_count,
        coalesce(lines_per_invoice.proration_lines_count, 0) as proration_lines_count,
        invoices.subtotal_minor,
        invoices.discount_minor,
        invoices.tax_minor,
        invoices.total_minor,
        invoices.amount_due_minor,
        invoices.amount_paid_minor,
        invoices.amount_remaining_minor,
        {{ to_major('invoices.total_minor', 'invoices.currency') }} as total_major,
        greatest(invoices.synced_at, lines_per_invoice.synced_at) as synced_at

    from invoices
    left join lines_per_invoice
        on invoices.invoice_id = lines_per_invoice.invoice_id
    left join persons
        on invoices.customer_id = persons.customer_id

)

select * from final
