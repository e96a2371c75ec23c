with

source as (

    select * from {{ source_if_landed('braintree', 'plans') }}

),

renamed as (

    select
        account_id,
        id as plan_id,
        {{ json_text('payload', '$.name') }} as plan_name,
        {{ json_text('payload', '$.price') }} as price_text,
        {{ json_text('payload', '$.currency_iso_code') }} as currency,
        cast({{ json_value('payload', '$.billing_frequency') }} as integer) as billing_frequency,
        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        version_at,
        synced_at

    from source

)

select * from renamed
