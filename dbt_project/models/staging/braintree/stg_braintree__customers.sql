with

source as (

    select * from {{ source_if_landed('braintree', 'customers') }}

),

renamed as (

    select
        account_id,
        id as customer_id,
        {{ json_text('payload', '$.email') }} as email,
        {{ normalize_email(json_text('payload', '$.email')) }} as email_normalized,
        {{ json_text('payload', '$.first_name') }} as first_name,
        {{ json_text('payload', '$.last_name') }} as last_name,
        {{ json_text('payload', '$.company') }} as company,
        {{ json_text('payload', '$.addresses[0].country_code_alpha2') }} as country,
        -- the company's own ids, as the account's custom fields carry them
        nullif({{ json_text('payload', '$.custom_fields.external_id') }}, '') as external_id,
        nullif({{ json_text('payload', '$.custom_fields.vat_id') }}, '') as vat_id,
        {{ braintree_utc_timestamp(json_text('payload', '$.created_at')) }} as created_at,
        {{ braintree_utc_timestamp(json_text('payload', '$.updated_at')) }} as updated_at,
        version_at,
        synced_at

    from source

)

select * from renamed
