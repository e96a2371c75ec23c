with

payments as (

    select * from {{ ref('int_payments_unioned') }}

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
        payments.description

    from payments
    left join persons
        on payments.customer_id = persons.customer_id

)

select * from final
