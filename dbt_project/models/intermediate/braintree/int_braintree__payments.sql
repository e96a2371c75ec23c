-- Braintree sales as payments. A sale's statuses (DECISIONLOG.md, Braintree): captured once
-- submitted for settlement; `authorized` is an authorization not captured (succeeded, captured
-- false, as Stripe keeps one); `voided` before capture is canceled, and so is
-- `authorization_expired` (never captured, the gateway let it lapse: released like a void,
-- as PayPal's voided authorizations; nothing captured, no revenue). Refunded amounts come
-- from the credits that name the sale (`refunded_transaction_id`), the sale's `refund_ids`
-- aside.
with

transactions as (

    select * from {{ ref('stg_braintree__transactions') }}

),

sales as (

    select
        transactions.*,
        {{ decimal_to_minor('transactions.amount_text', 'places') }} as amount_minor
    from transactions
    {{ join_decimal_places('places', 'transactions.currency', 'braintree') }}
    where transactions.transaction_type = 'sale'

),

refunded as (

    select
        transactions.account_id,
        transactions.refunded_transaction_id,
        -- as Stripe's amount_refunded: refunds succeeded or on their way, not failed ones
        cast(sum(
            case
                when
                    transactions.status in (
                        'submitted_for_settlement', 'settling', 'settled', 'settlement_pending',
                        'settlement_confirmed', 'authorized'
                    )
                    then {{ decimal_to_minor('transactions.amount_text', 'places') }}
            end
        ) as bigint) as amount_minor,
        -- every credit of the sale, failed ones too: a refund failing later changes the sale
        max(transactions.synced_at) as synced_at
    from transactions
    {{ join_decimal_places('places', 'transactions.currency', 'braintree') }}
    where transactions.transaction_type = 'credit'
    group by transactions.account_id, transactions.refunded_transaction_id

),

final as (

    select
        {{ scoped_id('braintree', 'sales.account_id', 'sales.transaction_id') }} as payment_id,
        'braintree' as gateway,
        sales.account_id,
        sales.transaction_id as source_payment_id,
        {{ scoped_id('braintree', 'sales.account_id', 'sales.customer_id') }} as customer_id,
        cast(null as {{ ledgerdesk.text_type() }}) as payment_intent_id,
        cast(null as {{ ledgerdesk.text_type() }}) as invoice_id,
        cast(0 as bigint) as invoices_count,
        sales.created_at,
        case
            when sales.status in ('submitted_for_settlement', 'settling', 'settled', 'authorized')
                then 'succeeded'
            when sales.status in ('settlement_pending', 'authorizing', 'settlement_confirmed')
                then 'pending'
            when sales.status in ('voided', 'authorization_expired') then 'canceled'
            else 'failed'
        end as status,
        sales.status as source_status,
        sales.amount_minor,
        case
            when
                sales.status in (
                    'submitted_for_settlement', 'settling', 'settled', 'settlement_pending',
                    'settlement_confirmed'
                )
                then sales.amount_minor
            else 0
        end as amount_captured_minor,
        coalesce(refunded.amount_minor, 0) as amount_refunded_minor,
        sales.currency,
        sales.status in (
            'submitted_for_settlement', 'settling', 'settled', 'settlement_pending',
            'settlement_confirmed'
        ) as is_captured,
        coalesce(refunded.amount_minor >= sales.amount_minor, false) as is_refunded,
        sales.disputes_count > 0 as is_disputed,
        case sales.payment_instrument_type
            when 'credit_card' then 'card'
            else sales.payment_instrument_type
        end as payment_method_type,
        case sales.card_type
            when 'American Express' then 'amex'
            when 'MasterCard' then 'mastercard'
            else lower(sales.card_type)
        end as card_brand,
        sales.card_last4,
        case
            when sales.status in ('processor_declined', 'gateway_rejected', 'failed')
                then sales.processor_response_code
        end as failure_code,
        case
            when sales.status in ('processor_declined', 'gateway_rejected', 'failed')
                then sales.processor_response_text
        end as failure_message,
        sales.order_id as description,
        greatest(sales.synced_at, refunded.synced_at) as synced_at

    from sales
    left join refunded
        on
            sales.account_id = refunded.account_id
            and sales.transaction_id = refunded.refunded_transaction_id

)

select * from final
