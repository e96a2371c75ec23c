-- A Braintree subscription bills its plan at its own price (one item, quantity 1) plus each
-- add-on at its amount times its quantity: one item each, keyed by the subscription and the
-- plan or add-on id.
with

subscriptions as (

    select * from {{ ref('stg_braintree__subscriptions') }}

),

add_ons as (

    select * from {{ ref('stg_braintree__subscription_add_ons') }}

),

plans as (

    select * from {{ ref('stg_braintree__plans') }}

),

items as (

    select
        subscriptions.account_id,
        subscriptions.subscription_id,
        subscriptions.subscription_id || ':plan:' || subscriptions.plan_id as item_id,
        subscriptions.plan_id as price_id,
        subscriptions.price_text as amount_text,
        cast(1 as bigint) as quantity,
        subscriptions.currency,
        subscriptions.created_at,
        subscriptions.billing_period_start_date,
        subscriptions.billing_period_end_date,
        subscriptions.plan_id,
        subscriptions.synced_at
    from subscriptions

    union all

    select
        subscriptions.account_id,
        subscriptions.subscription_id,
        subscriptions.subscription_id || ':add_on:' || add_ons.add_on_id as item_id,
        add_ons.add_on_id as price_id,
        add_ons.amount_text,
        add_ons.quantity,
        subscriptions.currency,
        subscriptions.created_at,
        subscriptions.billing_period_start_date,
        subscriptions.billing_period_end_date,
        subscriptions.plan_id,
        subscriptions.synced_at
    from add_ons
    inner join subscriptions
        on
            add_ons.account_id = subscriptions.account_id
            and add_ons.subscription_id = subscriptions.subscription_id

),

final as (

    select
        {{ scoped_id('braintree', 'items.account_id', 'items.item_id') }}
            as subscription_item_id,
        'braintree' as gateway,
        items.account_id,
        items.item_id as source_subscription_item_id,
        {{ scoped_id('braintree', 'items.account_id', 'items.subscription_id') }}
            as subscription_id,
        items.price_id,
        items.price_id as product_id,
        plans.plan_name as price_nickname,
        {{ decimal_to_minor('items.amount_text', 'places') }}
            as unit_amount_minor,
        items.currency,
        items.quantity,
        case when plans.billing_frequency % 12 = 0 then 'year' else 'month' end
            as billing_interval,
        cast(
            case
                when plans.billing_frequency % 12 = 0
                    then {{ integer_divide('plans.billing_frequency', '12') }}
                else coalesce(plans.billing_frequency, 1)
            end as integer
        ) as billing_interval_count,
        items.created_at,
        cast(items.billing_period_start_date as timestamp) as current_period_started_at,
        cast(items.billing_period_end_date + interval '1 day' as timestamp)
            as current_period_ends_at,
        greatest(items.synced_at, plans.synced_at) as synced_at

    from items
    left join plans
        on
            items.account_id = plans.account_id
            and items.plan_id = plans.plan_id
    {{ join_decimal_places('places', 'items.currency', 'braintree') }}

)

select * from final
