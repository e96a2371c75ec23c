-- PayPal refunds: Transaction Search's T1107 rows (amount negative, the payment in
-- paypal_reference_id). Reversals (T1106) and chargebacks (T1201) are disputes' money, not
-- refunds (DECISIONLOG.md, PayPal).
with

transactions as (

    select * from {{ ref('stg_paypal__transactions') }}

),

payments as (

    select
        account_id,
        transaction_id,
        payer_id,
        synced_at
    from transactions
    where event_code like 'T00%'

),

refunds as (

    select *
    from transactions
    where event_code = 'T1107'

),

final as (

    select
        {{ scoped_id('paypal', 'refunds.account_id', 'refunds.transaction_id') }} as refund_id,
        'paypal' as gateway,
        refunds.account_id,
        refunds.transaction_id as source_refund_id,
        {{ scoped_id('paypal', 'refunds.account_id', 'refunds.reference_id') }} as payment_id,
        {{ scoped_id(
            'paypal', 'refunds.account_id', 'coalesce(payments.payer_id, refunds.payer_id)'
        ) }} as customer_id,
        refunds.created_at,
        case refunds.status
            when 'S' then 'succeeded'
            when 'P' then 'pending'
            when 'D' then 'failed'
            when 'V' then 'canceled'
        end as status,
        refunds.status as source_status,
        -{{ decimal_to_minor('refunds.amount_value', 'places') }} as amount_minor,
        refunds.currency,
        cast(null as {{ ledgerdesk.text_type() }}) as reason,
        refunds.subject as description,
        -- PayPal voids an authorization instead of refunding it: never a release.
        false as is_authorization_release,
        greatest(refunds.synced_at, payments.synced_at) as synced_at

    from refunds
    left join payments
        on
            refunds.account_id = payments.account_id
            and refunds.reference_id = payments.transaction_id
    {{ join_decimal_places('places', 'refunds.currency', 'paypal') }}

)

select * from final
