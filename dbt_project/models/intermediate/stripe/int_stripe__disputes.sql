with

disputes as (

    select * from {{ ref('stg_stripe__disputes') }}

),

charges as (

    select * from {{ ref('stg_stripe__charges') }}

),

final as (

    select
        {{ scoped_id('stripe', 'disputes.account_id', 'disputes.dispute_id') }} as dispute_id,
        'stripe' as gateway,
        disputes.account_id,
        disputes.dispute_id as source_dispute_id,
        {{ scoped_id('stripe', 'disputes.account_id', 'disputes.charge_id') }} as payment_id,
        {{ scoped_id('stripe', 'disputes.account_id', 'charges.customer_id') }} as customer_id,
        disputes.created_at,
        -- Closing time: Stripe's last balance movement of the dispute, else its creation.
        case
            when disputes.status in ('won', 'lost', 'warning_closed', 'prevented')
                then coalesce(disputes.last_balance_transaction_at, disputes.created_at)
        end as closed_at,
        disputes.status,
        disputes.amount_minor,
        disputes.currency,
        disputes.reason,
        disputes.evidence_due_at

    from disputes
    left join charges
        on
            disputes.account_id = charges.account_id
            and disputes.charge_id = charges.charge_id

)

select * from final
