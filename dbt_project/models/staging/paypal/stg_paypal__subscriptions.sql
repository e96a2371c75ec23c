with

source as (

    select * from {{ source_if_landed('paypal', 'subscriptions') }}

),

renamed as (

    select
        account_id,
        id as subscription_id,
        json_extract_string(payload, '$.plan_id') as plan_id,
        json_extract_string(payload, '$.status') as status,
        json_extract_string(payload, '$.status_change_note') as status_change_note,
        {{ epoch_to_utc(
            "epoch(cast(json_extract_string(payload, '$.status_update_time') as timestamptz))"
        ) }} as status_updated_at,
        {{ epoch_to_utc(
            "epoch(cast(json_extract_string(payload, '$.create_time') as timestamptz))"
        ) }} as created_at,
        {{ epoch_to_utc(
            "epoch(cast(json_extract_string(payload, '$.start_time') as timestamptz))"
        ) }} as started_at,
        {{ epoch_to_utc(
            "epoch(cast(json_extract_string(payload, '$.billing_info.next_billing_time') as timestamptz))"
        ) }} as next_billing_at,
        cast(json_extract(payload, '$.billing_info.failed_payments_count') as integer)
            as failed_payments_count,
        -- A trial still running: PayPal lists the TRIAL cycle first, with cycles left.
        coalesce(
            json_extract_string(payload, '$.billing_info.cycle_executions[0].tenure_type')
            = 'TRIAL'
            and cast(
                json_extract(payload, '$.billing_info.cycle_executions[0].cycles_remaining')
                as integer
            ) > 0,
            false
        ) as is_in_trial,
        json_extract_string(payload, '$.quantity') as quantity,
        json_extract_string(payload, '$.custom_id') as custom_id,
        json_extract_string(payload, '$.subscriber.payer_id') as payer_id,
        json_extract_string(payload, '$.subscriber.email_address') as subscriber_email,
        version_at,
        synced_at

    from source

)

select * from renamed
