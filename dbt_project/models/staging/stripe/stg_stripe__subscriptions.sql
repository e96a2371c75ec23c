{#- Since 2025 the current period lives on each item; older versions keep it on the
    subscription itself. -#}
{%- set period_start_seconds = "coalesce(list_min(cast(json_extract(payload, "
    ~ "'$.items.data[*].current_period_start') as bigint[])), "
    ~ "cast(json_extract(payload, '$.current_period_start') as bigint))" -%}
{%- set period_end_seconds = "coalesce(list_max(cast(json_extract(payload, "
    ~ "'$.items.data[*].current_period_end') as bigint[])), "
    ~ "cast(json_extract(payload, '$.current_period_end') as bigint))" -%}
with

source as (

    select * from {{ source('stripe', 'subscriptions') }}

),

renamed as (

    select
        account_id,
        id as subscription_id,
        {{ epoch_to_utc('created') }} as created_at,
        json_extract_string(payload, '$.customer') as customer_id,
        json_extract_string(payload, '$.status') as status,
        upper(json_extract_string(payload, '$.currency')) as currency,
        json_extract_string(payload, '$.collection_method') as collection_method,
        json_extract_string(payload, '$.latest_invoice') as latest_invoice_id,
        {{ epoch_to_utc("json_extract(payload, '$.start_date')") }} as started_at,
        {{ epoch_to_utc("json_extract(payload, '$.trial_start')") }} as trial_started_at,
        {{ epoch_to_utc("json_extract(payload, '$.trial_end')") }} as trial_ended_at,
        {{ epoch_to_utc("json_extract(payload, '$.cancel_at')") }} as cancel_at,
        {{ epoch_to_utc("json_extract(payload, '$.canceled_at')") }} as canceled_at,
        {{ epoch_to_utc("json_extract(payload, '$.ended_at')") }} as ended_at,
        coalesce(cast(json_extract(payload, '$.cancel_at_period_end') as boolean), false)
            as is_cancel_at_period_end,
        {{ epoch_to_utc(period_start_seconds) }} as current_period_started_at,
        {{ epoch_to_utc(period_end_seconds) }} as current_period_ends_at,
        json_extract_string(payload, '$.cancellation_details.reason') as cancellation_reason,
        json_extract_string(payload, '$.description') as description,
        version_at,
        synced_at

    from source

)

select * from renamed
