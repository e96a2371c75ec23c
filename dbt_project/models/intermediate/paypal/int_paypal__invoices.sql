-- PayPal Invoicing v2 invoices, canonical status from PayPal's.
with

invoices as (

    -- The payer's email normalized here, not in the join below: Spark refuses a
    -- non-deterministic expression (its NFC goes through reflect) in a join condition.
    select
        *,
        {{ normalize_email('recipient_email') }} as recipient_email_normalized
    from {{ ref('stg_paypal__invoices') }}

),

customers as (

    -- One payer per email (the oldest), so that an invoice has one customer.
    select
        account_id,
        email_normalized,
        min(source_customer_id) as source_customer_id,
        max(synced_at) as synced_at
    from {{ ref('int_paypal__customers') }}
    where email_normalized is not null
    group by account_id, email_normalized

),

final as (

    select
        {{ scoped_id('paypal', 'invoices.account_id', 'invoices.invoice_id') }} as invoice_id,
        'paypal' as gateway,
        invoices.account_id,
        invoices.invoice_id as source_invoice_id,
        invoices.invoice_number,
        {{ scoped_id('paypal', 'invoices.account_id', 'customers.source_customer_id') }}
            as customer_id,
        {{ scoped_id(
            'paypal',
            'invoices.account_id',
            "case when invoices.reference like 'I-%' then invoices.reference end"
        ) }} as subscription_id,
        case
            when invoices.status = 'DRAFT' then 'draft'
            when invoices.status in (
                'PAID', 'MARKED_AS_PAID', 'REFUNDED', 'PARTIALLY_REFUNDED',
                'MARKED_AS_REFUNDED'
            ) then 'paid'
            when invoices.status = 'CANCELLED' then 'void'
            else 'open'
        end as status,
        invoices.status as source_status,
        case when invoices.reference like 'I-%' then 'subscription' else 'manual' end
            as billing_reason,
        'send_invoice' as collection_method,
        invoices.currency,
        invoices.created_at,
        invoices.first_sent_at as finalized_at,
        case when invoices.status in ('PAID', 'MARKED_AS_PAID') then invoices.last_updated_at end
            as paid_at,
        case when invoices.status = 'CANCELLED' then invoices.last_updated_at end as voided_at,
        cast(null as timestamp) as marked_uncollectible_at,
        cast(invoices.due_date as timestamp) as due_at,
        cast(null as timestamp) as period_started_at,
        cast(null as timestamp) as period_ended_at,
        {{ decimal_to_minor('invoices.item_total_value', 'places') }} as subtotal_minor,
        -- PayPal writes the invoice discount as a negative amount.
        abs(coalesce({{ decimal_to_minor('invoices.discount_value', 'places') }}, 0))
            as discount_minor,
        coalesce({{ decimal_to_minor('invoices.tax_total_value', 'places') }}, 0) as tax_minor,
        {{ decimal_to_minor('invoices.total_value', 'places') }} as total_minor,
        {{ decimal_to_minor('invoices.due_value', 'places') }} as amount_due_minor,
        coalesce({{ decimal_to_minor('invoices.paid_value', 'places') }}, 0) as amount_paid_minor,
        {{ decimal_to_minor('invoices.due_value', 'places') }} as amount_remaining_minor,
        greatest(invoices.synced_at, customers.synced_at) as synced_at

    from invoices
    {{ join_decimal_places('places', 'invoices.currency', 'paypal') }}
    left join customers
        on
            invoices.account_id = customers.account_id
            and invoices.recipient_email_normalized = customers.email_normalized

)

select * from final
