-- Each status a dispute has had (`status_history`), with its effective date.
with

source as (

    select * from {{ source_if_landed('braintree', 'disputes') }}

),

events as (

    select
        account_id,
        id as dispute_id,
        unnest(json_extract(payload, '$.status_history[*]')) as event
    from source

),

renamed as (

    select
        account_id,
        dispute_id,
        json_extract_string(event, '$.status') as status,
        {{ braintree_utc_timestamp("json_extract_string(event, '$.timestamp')") }} as changed_at,
        cast(json_extract_string(event, '$.effective_date') as date) as effective_date

    from events

)

select * from renamed
