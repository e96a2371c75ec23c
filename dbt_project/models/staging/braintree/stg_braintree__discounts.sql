with

source as (

    select * from {{ source_if_landed('braintree', 'discounts') }}

),

renamed as (

    select
        account_id,
        id as discount_id,
        {{ json_text('payload', '$.name') }} as discount_name,
        {{ json_text('payload', '$.amount') }} as amount_text,

        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        version_at,
        synced_at

    from source

)

select * from renamed
