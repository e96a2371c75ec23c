with

source as (

    select * from {{ source_if_landed('paypal', 'disputes') }}

),

renamed as (

    select
        account_id,
        id as dispute_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.update_time'))
        ) }} as updated_at,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.dispute_outcome.outcome_code') }} as outcome_code,
        {{ json_text('payload', '$.reason') }} as reason,
        {{ json_text('payload', '$.dispute_life_cycle_stage') }} as life_cycle_stage,
        {{ json_text('payload', '$.dispute_amount.value') }} as amount_value,
        {{ json_text('payload', '$.dispute_amount.currency_code') }} as currency,
        {{ json_text('payload', '$.disputed_transactions[0].seller_transaction_id') }}
            as seller_transaction_id,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.seller_response_due_date'))
        ) }} as seller_response_due_at,
        version_at,
        synced_at

    from source

)

select * from renamed
