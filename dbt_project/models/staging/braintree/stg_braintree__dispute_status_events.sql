-- Each status a dispute has had (`status_history`), with its effective date.
with

source as (

    select * from {{ source_if_landed('braintree', 'disputes') }}

),

events as (

    select
        account_id,
        id as dispute_id,
        synced_at,
        {{ json_array_elements('payload', '$.status_history') }} as event
    from source

),

renamed as (

    select
        account_id,
        dispute_id,
        {{ json_text('event', '$.status') }} as status,
        {{ braintree_utc_timestamp(json_text('event', '$.timestamp')) }} as changed_at,
        cast({{ json_text('event', '$.effective_date') }} as date) as effective_date,
        synced_at

    from events

)

select * from renamed
