-- Transaction Search rows: the balance-affecting ones (transactions) and the authorizations'
-- rows (T13xx), which PayPal lists only with balance_affecting_records_only=N and lands apart.
-- One per (account_id, transaction_id, is_balance_affecting): an id may be listed twice.
with

transactions as (

    select
        account_id,
        id,
        created,
        payload,
        version_at,
        synced_at,
        true as is_balance_affecting
    from {{ source_if_landed('paypal', 'transactions') }}

),

authorizations as (

    select
        account_id,
        id,
        created,
        payload,
        version_at,
        synced_at,
        false as is_balance_affecting
    from {{ source_if_landed('paypal', 'authorizations') }}

),

source as (

    select * from transactions
    union all
    select * from authorizations

),

renamed as (

    select
        account_id,
        id as transaction_id,
        is_balance_affecting,
        {{ epoch_to_utc('created') }} as created_at,
        {{ epoch_to_utc(
            timestamptz_text_to_epoch_seconds(json_text('payload', '$.transaction_info.transaction_updated_date'))
        ) }} as updated_at,
        {{ json_text('payload', '$.transaction_info.transaction_event_code') }} as event_code,
        {{ json_text('payload', '$.transaction_info.transaction_status') }} as status,
        {{ json_text('payload', '$.transaction_info.paypal_reference_id') }} as reference_id,
        {{ json_text('payload', '$.transaction_info.paypal_reference_id_type') }}
            as reference_id_type,
        -- Money stays PayPal's decimal text here; intermediate converts it exactly.
        {{ json_text('payload', '$.transaction_info.transaction_amount.value') }}
            as amount_value,
        {{ json_text('payload', '$.transaction_info.transaction_amount.currency_code') }}
            as currency,
        {{ json_text('payload', '$.transaction_info.fee_amount.value') }} as fee_value,
        {{ json_text('payload', '$.transaction_info.fee_amount.currency_code') }}
            as fee_currency,
        {{ json_text('payload', '$.transaction_info.transaction_subject') }} as subject,
        {{ json_text('payload', '$.transaction_info.invoice_id') }} as invoice_number,
        {{ json_text('payload', '$.transaction_info.custom_field') }} as custom_field,
        coalesce(
            {{ json_text('payload', '$.payer_info.account_id') }},
            {{ json_text('payload', '$.transaction_info.paypal_account_id') }}
        ) as payer_id,
        {{ json_text('payload', '$.payer_info.email_address') }} as payer_email,
        {{ json_text('payload', '$.payer_info.payer_name.alternate_full_name') }}
            as payer_name,
        {{ json_text('payload', '$.payer_info.country_code') }} as payer_country,
        version_at,
        synced_at

    from source

)

select * from renamed
