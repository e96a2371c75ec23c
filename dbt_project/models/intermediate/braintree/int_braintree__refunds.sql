-- Braintree credits (refunds): a transaction of type credit naming its sale. Settled (or
-- settling) is succeeded; submitted for settlement is still pending; declined at settlement
-- (also after having settled) is failed; voided before settlement is canceled.
with

credits as (

    select * from {{ ref('stg_braintree__transactions') }}
    where transaction_type = 'credit'

),

final as (

    select
        {{ scoped_id('braintree', 'credits.account_id', 'credits.transaction_id') }} as refund_id,
        'braintree' as gateway,
        credits.account_id,
        credits.transaction_id as source_refund_id,
        {{ scoped_id('braintree', 'credits.account_id', 'credits.refunded_transaction_id') }}
            as payment_id,
        {{ scoped_id('braintree', 'credits.account_id', 'credits.customer_id') }} as customer_id,
        credits.created_at,
        case
            when credits.status in ('settled', 'settling') then 'succeeded'
            when credits.status in ('submitted_for_settlement', 'settlement_pending') then 'pending'
            when credits.status in ('settlement_confirmed', 'authorizing') then 'pending'
            when credits.status = 'authorized' then 'pending'
            when credits.status = 'voided' then 'canceled'
            else 'failed'
        end as status,
        credits.status as source_status,
        {{ decimal_to_minor('credits.amount_text', 'places') }}
            as amount_minor,
        credits.currency,
        cast(null as {{ ledgerdesk.text_type() }}) as reason,
        credits.order_id as description,
        -- Braintree voids an authorization instead: no credit is ever a release
        false as is_authorization_release,
        credits.synced_at

    from credits
    {{ join_decimal_places('places', 'credits.currency', 'braintree') }}

)

select * from final
