-- PayPal payments: Transaction Search rows whose event code is a payment (T00xx: T0003
-- pre-approved, T0006 checkout, ...), and the authorizations (T1300) never captured: open
-- (P) succeeded and not captured, voided canceled (its row V, or a void row T1302 referring
-- to it); a captured one (S) is its capture's payment row. A payment's V is a payment refunded
-- in full: succeeded and captured, its refund rows subtract. Refunds (T1107), reversals
-- (T1106) and chargebacks (T1201) are rows of their own pointing at the payment
-- (DECISIONLOG.md, PayPal).
with

transactions as (

    select * from {{ ref('stg_paypal__transactions') }}

),

invoices as (

    select * from {{ ref('stg_paypal__invoices') }}

),

disputes as (

    select * from {{ ref('stg_paypal__disputes') }}

),

voids as (

    -- a void row's status counts when it succeeds; its newest landing whatever its status
    select
        account_id,
        reference_id as transaction_id,
        coalesce(max(case when status = 'S' then 1 end), 0) = 1 as is_succeeded,
        max(synced_at) as synced_at
    from transactions
    where event_code = 'T1302'
    group by account_id, reference_id

),

payments as (

    select
        transactions.*,
        {{ decimal_to_minor('transactions.amount_value', 'places') }} as amount_minor,
        transactions.event_code = 'T1300' as is_open_or_voided_authorization,
        transactions.event_code = 'T1300'
        and (transactions.status = 'V' or coalesce(voids.is_succeeded, false)) as is_voided,
        greatest(transactions.synced_at, voids.synced_at) as payment_synced_at
    from transactions
    {{ join_decimal_places('places', 'transactions.currency', 'paypal') }}
    left join voids
        on
            transactions.account_id = voids.account_id
            and transactions.transaction_id = voids.transaction_id
    where
        transactions.event_code like 'T00%'
        or (transactions.event_code = 'T1300' and transactions.status in ('P', 'V'))

),

refunded as (

    select
        transactions.account_id,
        transactions.reference_id as transaction_id,
        cast(-sum(
            case
                when transactions.status in ('S', 'P')
                    then {{ decimal_to_minor('transactions.amount_value', 'places') }}
            end
        ) as bigint) as refunded_minor,
        -- every refund row, denied ones too: a refund denied later changes the payment
        max(transactions.synced_at) as synced_at
    from transactions
    {{ join_decimal_places('places', 'transactions.currency', 'paypal') }}
    where transactions.event_code = 'T1107'
    group by transactions.account_id, transactions.reference_id

),

disputed as (

    select
        account_id,
        seller_transaction_id as transaction_id,
        max(synced_at) as synced_at
    from disputes
    group by account_id, seller_transaction_id

),

final as (

    select
        -- An authorization's id may also be its capture's (the spec: an id listed twice).
        case
            when payments.is_open_or_voided_authorization
                then {{ scoped_id(
                    'paypal', 'payments.account_id', "'authorization:' || payments.transaction_id"
                ) }}
            else {{ scoped_id('paypal', 'payments.account_id', 'payments.transaction_id') }}
        end as payment_id,
        'paypal' as gateway,
        payments.account_id,
        payments.transaction_id as source_payment_id,
        {{ scoped_id('paypal', 'payments.account_id', 'payments.payer_id') }} as customer_id,
        cast(null as {{ ledgerdesk.text_type() }}) as payment_intent_id,
        {{ scoped_id('paypal', 'payments.account_id', 'invoices.invoice_id') }} as invoice_id,
        case when invoices.invoice_id is null then 0 else 1 end as invoices_count,
        payments.created_at,
        -- S success, P pending, D denied, V reversed (refunded in full: succeeded); an
        -- authorization: open (succeeded, nothing captured yet) or voided (canceled).
        case
            when payments.is_voided then 'canceled'
            when payments.is_open_or_voided_authorization then 'succeeded'
            when payments.status in ('S', 'V') then 'succeeded'
            when payments.status = 'P' then 'pending'
            when payments.status = 'D' then 'failed'
        end as status,
        payments.status as source_status,
        payments.amount_minor,
        case
            when
                not payments.is_open_or_voided_authorization
                and payments.status in ('S', 'P', 'V')
                then payments.amount_minor
            else 0
        end as amount_captured_minor,
        coalesce(refunded.refunded_minor, 0) as amount_refunded_minor,
        payments.currency,
        not payments.is_open_or_voided_authorization and payments.status in ('S', 'P', 'V')
            as is_captured,
        coalesce(refunded.refunded_minor >= payments.amount_minor, false) as is_refunded,
        disputed.transaction_id is not null as is_disputed,
        'paypal' as payment_method_type,
        cast(null as {{ ledgerdesk.text_type() }}) as card_brand,
        cast(null as {{ ledgerdesk.text_type() }}) as card_last4,
        case when payments.status = 'D' then 'denied' end as failure_code,
        cast(null as {{ ledgerdesk.text_type() }}) as failure_message,
        payments.subject as description,
        greatest(
            payments.payment_synced_at, invoices.synced_at, refunded.synced_at, disputed.synced_at
        ) as synced_at

    from payments
    left join invoices
        on
            payments.account_id = invoices.account_id
            and payments.invoice_number = invoices.invoice_number
    left join refunded
        on
            payments.account_id = refunded.account_id
            and payments.transaction_id = refunded.transaction_id
    left join disputed
        on
            payments.account_id = disputed.account_id
            and payments.transaction_id = disputed.transaction_id

)

select * from final
