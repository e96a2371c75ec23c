-- Every credit note line, unnested from credit_notes.lines.data (the extractor completes
-- the list when Stripe pages it).
with

source as (

    select * from {{ source_if_landed('stripe', 'credit_notes') }}

),

unnested as (

    select
        account_id,
        id as credit_note_id,
        synced_at,
        {{ json_array_elements('payload', '$.lines.data') }} as line
    from source

),

renamed as (

    select
        account_id,
        {{ json_text('line', '$.id') }} as credit_note_line_id,
        credit_note_id,
        {{ json_text('line', '$.type') }} as line_type,
        {{ json_text('line', '$.invoice_line_item') }} as invoice_line_id,
        {{ json_text('line', '$.description') }} as description,
        cast({{ json_value('line', '$.amount') }} as bigint) as amount_minor,
        cast({{ json_value('line', '$.discount_amount') }} as bigint) as discount_minor,
        -- taxes (2025+ versions) or the older tax_amounts.
        cast(coalesce(
            {{ json_array_aggregate('sum', 'line', '$.taxes', 'amount') }},
            {{ json_array_aggregate('sum', 'line', '$.tax_amounts', 'amount') }},
            0
        ) as bigint) as tax_minor,
        cast({{ json_value('line', '$.quantity') }} as bigint) as quantity,
        cast({{ json_value('line', '$.unit_amount') }} as bigint) as unit_amount_minor,
        synced_at

    from unnested

)

select * from renamed
