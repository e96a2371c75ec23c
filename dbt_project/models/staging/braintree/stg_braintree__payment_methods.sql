-- A customer's stored cards (payment method tokens): a subscription names only its token.
with

source as (

    select * from {{ source_if_landed('braintree', 'customers') }}

),

cards as (

    select
        account_id,
        id as customer_id,
        synced_at,
        {{ json_array_elements('payload', '$.credit_cards') }} as card
    from source

),

renamed as (

    select
        account_id,
        customer_id,
        {{ json_text('card', '$.token') }} as payment_method_token,
        {{ json_text('card', '$.card_type') }} as card_type,
        {{ json_text('card', '$.last_4') }} as card_last4,
        synced_at

    from cards

)

select * from renamed
