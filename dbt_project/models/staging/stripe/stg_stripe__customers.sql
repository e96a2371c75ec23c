with

source as (

    select * from {{ source('stripe', 'customers') }}

),

renamed as (

    select
        account_id,
        id as customer_id,
        {{ epoch_to_utc('created') }} as created_at,
        json_extract_string(payload, '$.email') as email,
        -- Identity matching key: NFC, trimmed, lower case; an empty address is no address.
        nullif(lower(trim(nfc_normalize(json_extract_string(payload, '$.email')))), '')
            as email_normalized,
        json_extract_string(payload, '$.name') as customer_name,
        json_extract_string(payload, '$.description') as description,
        json_extract_string(payload, '$.phone') as phone,
        upper(json_extract_string(payload, '$.address.country')) as country,
        upper(json_extract_string(payload, '$.currency')) as currency,
        cast(json_extract(payload, '$.balance') as bigint) as balance_minor,
        json_extract_string(payload, '$.tax_exempt') as tax_exempt,
        coalesce(cast(json_extract(payload, '$.delinquent') as boolean), false)
            as is_delinquent,
        coalesce(cast(json_extract(payload, '$.deleted') as boolean), false) as is_deleted,
        cast(json_extract(payload, '$.livemode') as boolean) as is_livemode,
        version_at,
        synced_at

    from source

)

select * from renamed
