with

source as (

    select * from {{ source_if_landed('braintree', 'add_ons') }}

),

renamed as (

    select
        account_id,
        id as add_on_id,
        {{ json_text('payload', '$.name') }} as add_on_name,
        {{ json_text('payload', '$.amount') }} as amount_text,

        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        version_at,
        synced_at

    from source

)

select * from renamed
