with

source as (

    select * from {{ source_if_landed('braintree', 'subscriptions') }}

),

add_ons as (

    select
        account_id,
        id as subscription_id,
        synced_at,
        {{ json_array_elements('payload', '$.add_ons') }} as add_on
    from source

),

renamed as (

    select
        account_id,
        subscription_id,
        {{ json_text('add_on', '$.id') }} as add_on_id,
        {{ json_text('add_on', '$.amount') }} as amount_text,
        cast({{ json_value('add_on', '$.quantity') }} as bigint) as quantity,
        synced_at

    from add_ons

)

select * from renamed
