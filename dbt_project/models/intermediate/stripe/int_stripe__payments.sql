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

-- Stripe's invoice_payments name the payment intent (or, paid out of band, the charge) of
-- each invoice. An intent that pays several invoices links its charge to the first one
-- paid (then the first created, then the lowest invoice id, so ties are settled the same way
-- in every build); invoices_count says how many there were.
ranked_invoice_payments as (

    select
        account_id,
        coalesce(payment_intent_id, charge_id) as paying_id,
        invoice_id,
        row_number() over (
            partition by account_id, coalesce(payment_intent_id, charge_id)
            order by case when status = 'paid' then 0 else 1 end, created_at, invoice_id
        ) as invoice_rank,
        synced_at
    from invoice_payments
    where coalesce(payment_intent_id, charge_id) is not null

),

invoice_links as (

    select
        account_id,
        paying_id,
        max(case when invoice_rank = 1 then invoice_id end) as invoice_id,
        count(distinct invoice_id) as invoices_count,
        max(synced_at) as synced_at
    from ranked_invoice_payments
    group by account_id, paying_id

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
        {{ scoped_id('stripe', 'charges.account_id', 'charges.payment_intent_id') }}
            as payment_intent_id,
        -- invoice_payments first; older API versions name the invoice on the charge or intent.
        {{ scoped_id(
            'stripe',
            'charges.account_id',
            'coalesce(by_intent.invoice_id, by_charge.invoice_id, charges.legacy_invoice_id, '
            ~ 'payment_intents.legacy_invoice_id)'
        ) }} as invoice_id,
        coalesce(
            by_intent.invoices_count,
            by_charge.invoices_count,
            case
                when
                    coalesce(charges.legacy_invoice_id, payment_intents.legacy_invoice_id)
                    is not null
                    then 1
                else 0
            end
        ) as invoices_count,
        charges.created_at,
        -- Stripe's charge statuses are the canonical ones (succeeded / pending / failed),
        -- but an authorization never captured whose payment intent was canceled (released
        -- by the merchant or lapsed) is canceled, as every gateway's; its refund stays an
        -- authorization release (DECISIONLOG.md).
        case
            when
                charges.status = 'succeeded'
                and not charges.is_captured
                and payment_intents.status = 'canceled'
                then 'canceled'
            else charges.status
        end as status,
        charges.status as source_status,
        {{ to_iso_minor('charges.amount_minor', 'charges.currency', 'stripe') }} as amount_minor,
        {{ to_iso_minor(
            'charges.amount_captured_minor', 'charges.currency', 'stripe'
        ) }} as amount_captured_minor,
        {{ to_iso_minor(
            'charges.amount_refunded_minor', 'charges.currency', 'stripe'
        ) }} as amount_refunded_minor,
        charges.currency,
        charges.is_captured,
        charges.is_refunded,
        charges.is_disputed,
        charges.payment_method_type,
        charges.card_brand,
        charges.card_last4,
        charges.failure_code,
        charges.failure_message,
        charges.description,
        greatest(
            charges.synced_at,
            payment_intents.synced_at,
            by_intent.synced_at,
            by_charge.synced_at
        ) as synced_at

    from charges
    left join payment_intents
        on
            charges.account_id = payment_intents.account_id
            and charges.payment_intent_id = payment_intents.payment_intent_id
    left join invoice_links as by_intent
        on
            charges.account_id = by_intent.account_id
            and charges.payment_intent_id = by_intent.paying_id
    left join invoice_links as by_charge
        on
            charges.account_id = by_charge.account_id
            and charges.charge_id = by_charge.paying_id

)

select * from final
