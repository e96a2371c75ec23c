-- PayPal disputes from the Disputes API, canonical status from PayPal's status and outcome.
with

disputes as (

    select * from {{ ref('stg_paypal__disputes') }}

),

payments as (

    select
        account_id,
        transaction_id,
        payer_id,
        synced_at
    from {{ ref('stg_paypal__transactions') }}
    where event_code like 'T00%'

),

final as (

    select
        {{ scoped_id('paypal', 'disputes.account_id', 'disputes.dispute_id') }} as dispute_id,
        'paypal' as gateway,
        disputes.account_id,
        disputes.dispute_id as source_dispute_id,
        {{ scoped_id('paypal', 'disputes.account_id', 'disputes.seller_transaction_id') }}
            as payment_id,
        {{ scoped_id('paypal', 'disputes.account_id', 'payments.payer_id') }} as customer_id,
        disputes.created_at,
        case when disputes.status = 'RESOLVED' then disputes.updated_at end as closed_at,
        false as is_closed_at_estimated,
        case
            when
                disputes.status = 'RESOLVED'
                and disputes.outcome_code in ('RESOLVED_BUYER_FAVOUR', 'ACCEPTED')
                then 'lost'
            when disputes.status = 'RESOLVED' then 'won'
            when disputes.status = 'WAITING_FOR_SELLER_RESPONSE' then 'needs_response'
            when disputes.status in ('UNDER_REVIEW', 'OTHER') then 'under_review'
            else 'inquiry'
        end as status,
        disputes.status as source_status,
        {{ decimal_to_minor('disputes.amount_value', 'places') }} as amount_minor,
        disputes.currency,
        disputes.reason,
        disputes.seller_response_due_at as evidence_due_at,
        greatest(disputes.synced_at, payments.synced_at) as synced_at

    from disputes
    left join payments
        on
            disputes.account_id = payments.account_id
            and disputes.seller_transaction_id = payments.transaction_id
    {{ join_decimal_places('places', 'disputes.currency', 'paypal') }}

)

select * from final
