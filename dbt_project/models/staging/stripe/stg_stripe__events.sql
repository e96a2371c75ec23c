-- Stripe's events feed, every type: the audit trail, and the only source of a
-- dispute's closing time. `data.object` is in the shape of the event's own api_version.
with

source as (

    select * from {{ source_if_landed('stripe', 'events') }}

),

renamed as (

    select
        account_id,
        id as event_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.type') }} as event_type,
        {{ json_text('payload', '$.api_version') }} as api_version,
        {{ json_text('payload', '$.data.object.id') }} as object_id,
        {{ json_text('payload', '$.data.object.object') }} as object_type,
        {{ json_object_at('payload', '$.data.object') }} as data_object,
        {{ json_object_at('payload', '$.data.previous_attributes') }} as previous_attributes,
        {{ json_text('payload', '$.request.id') }} as request_id,
        cast({{ json_value('payload', '$.livemode') }} as boolean) as is_livemode,
        version_at,
        synced_at

    from source

)

select * from renamed
