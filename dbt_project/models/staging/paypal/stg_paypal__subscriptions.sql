with

source as (

    select * from {{ source_if_landed('paypal', 'subscriptions') }}

),

renamed as (

    select
        account_id,
        id as subscription_id,
        {{ json_text('payload', '$.plan_id') }} as plan_id,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.status_change_note') }} as status_change_note,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.status_update_time'))
        ) }} as status_updated_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.create_time'))
        ) }} as created_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.start_time'))
        ) }} as started_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.billing_info.next_billing_time'))
        ) }} as next_billing_at,
        cast({{ json_value('payload', '$.billing_info.failed_payments_count') }} as integer)
            as failed_payments_count,
        -- A trial still running: PayPal lists the TRIAL cycle first, with cycles left.
        coalesce(
            {{ json_text('payload', '$.billing_info.cycle_executions[0].tenure_type') }}
            = 'TRIAL'
            and cast(
                {{ json_value('payload', '$.billing_info.cycle_executions[0].cycles_remaining') }}
                as integer
            ) > 0,
            false
        ) as is_in_trial,
        {{ json_text('payload', '$.quantity') }} as quantity,
        {{ json_text('payload', '$.custom_id') }} as custom_id,
        {{ json_text('payload', '$.subscriber.payer_id') }} as payer_id,
        {{ json_text('payload', '$.subscriber.email_address') }} as subscriber_email,
        version_at,
        synced_at

    from source

)

select * from renamed
