{#- Since 2025 the current period lives on each item; older versions keep it on the
    subscription itself. -#}
{%- set period_start_seconds = "coalesce("
    ~ json_array_aggregate('min', 'payload', '$.items.data', 'current_period_start') ~ ", "
    ~ "cast(" ~ json_value('payload', '$.current_period_start') ~ " as bigint))" -%}
{%- set period_end_seconds = "coalesce("
    ~ json_array_aggregate('max', 'payload', '$.items.data', 'current_period_end') ~ ", "
    ~ "cast(" ~ json_value('payload', '$.current_period_end') ~ " as bigint))" -%}
with

source as (

    select * from {{ source('stripe', 'subscriptions') }}

),

renamed as (

    select
        account_id,
        id as subscription_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.customer') }} as customer_id,
        {{ json_text('payload', '$.status') }} as status,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        {{ json_text('payload', '$.collection_method') }} as collection_method,
        {{ json_text('payload', '$.latest_invoice') }} as latest_invoice_id,
        {{ epoch_to_utc(json_value('payload', '$.start_date')) }} as started_at,
        {{ epoch_to_utc(json_value('payload', '$.trial_start')) }} as trial_started_at,
        {{ epoch_to_utc(json_value('payload', '$.trial_end')) }} as trial_ended_at,
        {{ epoch_to_utc(json_value('payload', '$.cancel_at')) }} as cancel_at,
        {{ epoch_to_utc(json_value('payload', '$.canceled_at')) }} as canceled_at,
        {{ epoch_to_utc(json_value('payload', '$.ended_at')) }} as ended_at,
        coalesce(cast({{ json_value('payload', '$.cancel_at_period_end') }} as boolean), false)
            as is_cancel_at_period_end,
        {{ epoch_to_utc(period_start_seconds) }} as current_period_started_at,
        {{ epoch_to_utc(period_end_seconds) }} as current_period_ends_at,
        {{ json_text('payload', '$.cancellation_details.reason') }} as cancellation_reason,
        {{ json_text('payload', '$.description') }} as description,
        version_at,
        synced_at

    from source

)

select * from renamed
