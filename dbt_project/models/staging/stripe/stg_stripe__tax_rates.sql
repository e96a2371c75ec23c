with

source as (

    select * from {{ source('stripe', 'tax_rates') }}

),

renamed as (

    select
        account_id,
        id as tax_rate_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.display_name') }} as display_name,
        {{ json_text('payload', '$.description') }} as description,
        upper({{ json_text('payload', '$.country') }}) as country,
        {{ json_text('payload', '$.state') }} as state,
        {{ json_text('payload', '$.jurisdiction') }} as jurisdiction,
        {{ json_text('payload', '$.tax_type') }} as tax_type,
        -- Read from the JSON text, never through a float: 7.5 stays 7.5000.
        cast({{ json_text('payload', '$.percentage') }} as decimal(9, 4)) as percentage,
        cast({{ json_value('payload', '$.inclusive') }} as boolean) as is_inclusive,
        cast({{ json_value('payload', '$.active') }} as boolean) as is_active,
        version_at,
        synced_at

    from source

)

select * from renamed
