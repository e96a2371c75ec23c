with

source as (

    select * from {{ source('stripe', 'customers') }}

),

renamed as (

    select
        account_id,
        id as customer_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.email') }} as email,
        -- Identity matching key: the one rule of macros/emails.sql.
        {{ normalize_email(json_text('payload', '$.email')) }} as email_normalized,
        {{ json_text('payload', '$.name') }} as customer_name,
        -- Identifiers shared with other gateways (DECISIONLOG.md, room identity): the
        -- company's own id in metadata, and the first tax id, which the pinned API version
        -- sends only when `tax_ids` is expanded (the extractor never expands: NULL then).
        nullif(trim({{ json_text('payload', '$.metadata.external_id') }}), '') as external_id,
        nullif(trim({{ json_text('payload', '$.tax_ids.data[0].value') }}), '') as tax_id,
        {{ json_text('payload', '$.description') }} as description,
        {{ json_text('payload', '$.phone') }} as phone,
        upper({{ json_text('payload', '$.address.country') }}) as country,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        -- `account_balance` before 2019-10-17 (renamed `balance`); NULL when neither.
        coalesce(
            cast({{ json_value('payload', '$.balance') }} as bigint),
            cast({{ json_value('payload', '$.account_balance') }} as bigint)
        ) as balance_minor,
        {{ json_text('payload', '$.tax_exempt') }} as tax_exempt,
        coalesce(cast({{ json_value('payload', '$.delinquent') }} as boolean), false)
            as is_delinquent,
        -- A tombstone {id, object, deleted: true}: the customer was deleted.
        coalesce(cast({{ json_value('payload', '$.deleted') }} as boolean), false) as is_deleted,
        cast({{ json_value('payload', '$.livemode') }} as boolean) as is_livemode,
        version_at,
        synced_at

    from source

)

select * from renamed
