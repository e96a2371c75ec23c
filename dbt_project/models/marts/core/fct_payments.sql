{{ config(
    materialized=ledgerdesk.incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='payment_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('payment_id', 'select payment_id from ' ~ ref('int_payments_unioned')) }}",
) }}
with

-- An incremental run: the rows landed since the last build and the rows whose person
-- changed (macros/incremental.sql).
payments as (

    select * from {{ ref('int_payments_unioned') }}
    {% if is_incremental() %}
    where
        synced_at >= {{ ledgerdesk.incremental_cutoff() }}
        or customer_id in ({{ ledgerdesk.remapped_customers() }})
    {% endif %}

),

persons as (

    select * from {{ ref('int_persons') }}

),

final as (

    select
        payments.payment_id,
        payments.gateway,
        payments.account_id,
        payments.source_payment_id,
        persons.person_id,
        payments.customer_id,
        payments.payment_intent_id,
        payments.invoice_id,
        payments.invoices_count,
        payments.created_at,
        cast(payments.created_at as date) as created_date,
        payments.status,
        payments.source_status,
        payments.amount_minor,
        payments.amount_captured_minor,
        payments.amount_refunded_minor,
        payments.currency,
        {{ to_major('payments.amount_minor', 'payments.currency') }} as amount_major,
        {{ to_major('payments.amount_captured_minor', 'payments.currency') }}
            as amount_captured_major,
        payments.is_captured,
        payments.is_refunded,
        payments.is_disputed,
        payments.payment_method_type,
        payments.card_brand,
        payments.card_last4,
        payments.failure_code,
        payments.failure_message,
        payments.description,
        payments.synced_at

    from payments
    left join persons
        on payments.customer_id = persons.customer_id

)

select * from final
