-- Each status a subscription has had (`status_history`), with when it began.
with

source as (

    select * from {{ source_if_landed('braintree', 'subscriptions') }}

),

events as (

    select
        account_id,
        id as subscription_id,
        synced_at,
        {{ json_array_elements('payload', '$.status_history') }} as event
    from source

),

renamed as (

    select
        account_id,
        subscription_id,
        {{ json_text('event', '$.status') }} as status,
        {{ braintree_utc_timestamp(json_text('event', '$.timestamp')) }} as changed_at,
        {{ json_text('event', '$.subscription_source') }} as subscription_source,
        synced_at

    from events

)

select * from renamed
