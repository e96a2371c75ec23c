with

refunds as (

    select * from {{ ref('stg_stripe__refunds') }}

),

charges as (

    select * from {{ ref('stg_stripe__charges') }}

),

payment_intents as (

    select * from {{ ref('stg_stripe__payment_intents') }}

),

final as (

    select
        {{ scoped_id('stripe', 'refunds.account_id', 'refunds.refund_id') }} as refund_id,
        'stripe' as gateway,
        refunds.account_id,
        refunds.refund_id as source_refund_id,
        -- A refund names its charge; one made on a payment intent names the intent only.
        {{ scoped_id(
            'stripe',
            'refunds.account_id',
            'coalesce(refunds.charge_id, payment_intents.latest_charge_id)'
        ) }} as payment_id,
        {{ scoped_id('stripe', 'refunds.account_id', 'charges.customer_id') }} as customer_id,
        refunds.created_at,
        case refunds.status
            when 'requires_action' then 'pending'
            else refunds.status
        end as status,
        refunds.status as source_status,
        {{ to_iso_minor('refunds.amount_minor', 'refunds.currency', 'stripe') }} as amount_minor,
        refunds.currency,
        refunds.reason,
        refunds.description,
        -- Releasing an uncaptured authorization makes Stripe record a refund of a charge that
        -- captured nothing: no money came in, so none goes out.
        coalesce(not charges.is_captured and charges.amount_captured_minor = 0, false)
            as is_authorization_release,
        greatest(refunds.synced_at, payment_intents.synced_at, charges.synced_at) as synced_at

    from refunds
    left join payment_intents
        on
            refunds.account_id = payment_intents.account_id
            and refunds.payment_intent_id = payment_intents.payment_intent_id
    left join charges
        on
            refunds.account_id = charges.account_id
            and coalesce(refunds.charge_id, payment_intents.latest_charge_id)
            = charges.charge_id

)

select * from final
