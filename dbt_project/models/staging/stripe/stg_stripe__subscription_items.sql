with

source as (

    select * from {{ source('stripe', 'subscriptions') }}

),

unnested as (

    select
        account_id,
        id as subscription_id,
        synced_at,
        {{ json_array_elements('payload', '$.items.data') }} as item
    from source

),

renamed as (

    select
        account_id,
        {{ json_text('item', '$.id') }} as subscription_item_id,
        subscription_id,
        {{ epoch_to_utc(json_value('item', '$.created')) }} as created_at,
        {{ json_text('item', '$.price.id') }} as price_id,
        {{ json_text('item', '$.price.product') }} as product_id,
        {{ json_text('item', '$.price.nickname') }} as price_nickname,
        cast({{ json_value('item', '$.price.unit_amount') }} as bigint) as unit_amount_minor,
        upper({{ json_text('item', '$.price.currency') }}) as currency,
        coalesce(cast({{ json_value('item', '$.quantity') }} as bigint), 1) as quantity,
        {{ json_text('item', '$.price.recurring.interval') }} as billing_interval,
        cast({{ json_value('item', '$.price.recurring.interval_count') }} as integer)
            as billing_interval_count,
        {{ epoch_to_utc(json_value('item', '$.current_period_start')) }}
            as current_period_started_at,
        {{ epoch_to_utc(json_value('item', '$.current_period_end')) }}
            as current_period_ends_at,
        synced_at

    from unnested

)

select * from renamed
