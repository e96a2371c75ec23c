with

source as (

    select * from {{ source_if_landed('paypal', 'plans') }}

),

renamed as (

    select
        account_id,
        id as plan_id,
        {{ json_text('payload', '$.product_id') }} as product_id,
        {{ json_text('payload', '$.name') }} as plan_name,
        {{ json_text('payload', '$.status') }} as status,
        -- The regular cycle's price (the last cycle: trials come first).
        {{ json_text('payload', '$.billing_cycles[-1].pricing_scheme.fixed_price.value') }}
            as price_value,
        {{ json_text(
            'payload', '$.billing_cycles[-1].pricing_scheme.fixed_price.currency_code'
        ) }} as currency,
        lower({{ json_text('payload', '$.billing_cycles[-1].frequency.interval_unit') }})
            as billing_interval,
        cast(
            {{ json_value('payload', '$.billing_cycles[-1].frequency.interval_count') }} as integer
        )
            as billing_interval_count,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.create_time'))
        ) }} as created_at,
        version_at,
        synced_at

    from source

)

select * from renamed
