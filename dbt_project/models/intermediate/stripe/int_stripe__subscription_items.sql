with

subscription_items as (

    select * from {{ ref('stg_stripe__subscription_items') }}

),

final as (

    select
        {{ scoped_id('stripe', 'account_id', 'subscription_item_id') }} as subscription_item_id,
        'stripe' as gateway,
        account_id,
        subscription_item_id as source_subscription_item_id,
        {{ scoped_id('stripe', 'account_id', 'subscription_id') }} as subscription_id,
        price_id,
        product_id,
        price_nickname,
        {{ to_iso_minor('unit_amount_minor', 'currency', 'stripe') }} as unit_amount_minor,
        currency,
        quantity,
        billing_interval,
        billing_interval_count,
        created_at,
        current_period_started_at,
        current_period_ends_at,
        synced_at

    from subscription_items

)

select * from final
