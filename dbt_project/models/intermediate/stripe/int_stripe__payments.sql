with

charges as (

    select * from {{ ref('stg_stripe__charges') }}

),

payment_intents as (

    select * from {{ ref('stg_stripe__payment_intents') }}

),

invoice_payments as (

    select * from {{ ref('stg_stripe__invoice_payments') }}

),

-- 2025+ versions link invoice -> payment intent -> charge; one invoice per intent.
invoice_by_intent as (

    select
        account_id,
        payment_intent_id,
        min(invoice_id) as invoice_id
    from invoice_payments
    where payment_intent_id is not null
    group by account_id, payment_intent_id

),

final as (

    select
        {{ scoped_id('stripe', 'charges.account_id', 'charges.charge_id') }} as payment_id,
        'stripe' as gateway,
        charges.account_id,
        charges.charge_id as source_payment_id,
        {{ scoped_id(
            'stripe',
            'charges.account_id',
            'coalesce(charges.customer_id, payment_intents.customer_id)'
        ) }} as customer_id,
        {{ scoped_id(
            'stripe',
            'charges.account_id',
            'coalesce(charges.legacy_invoice_id, invoice_by_intent.invoice_id, '
            ~ 'payment_intents.legacy_invoice_id)'
        ) }} as invoice_id,
        charges.created_at,
        charges.status,
        charges.amount_minor,
        charges.amount_captured_minor,
        charges.amount_refunded_minor,
        charges.currency,
        charges.is_captured,
        charges.is_refunded,
        charges.is_disputed,
        charges.payment_method_type,
        charges.card_brand,
        charges.card_last4,
        charges.failure_code,
        charges.failure_message,
        charges.description

    from charges
    left join payment_intents
        on
            charges.account_id = payment_intents.account_id
            and charges.payment_intent_id = payment_intents.payment_intent_id
    left join invoice_by_intent
        on
            charges.account_id = invoice_by_intent.account_id
            and charges.payment_intent_id = invoice_by_intent.payment_intent_id

)

select * from final
