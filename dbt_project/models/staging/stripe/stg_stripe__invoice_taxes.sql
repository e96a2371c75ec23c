-- One row per tax amount of an invoice: `total_taxes` (2025+ versions) or, on older
-- accounts, `total_tax_amounts` (tax_rate and inclusive on the entry itself).
with

source as (

    select * from {{ source('stripe', 'invoices') }}

),

tax_lists as (

    select
        account_id,
        id as invoice_id,
        synced_at,
        case
            when {{ json_is_array('payload', '$.total_taxes') }}
                then {{ json_array_at('payload', '$.total_taxes') }}
            else {{ json_array_at('payload', '$.total_tax_amounts') }}
        end as taxes
    from source

),

-- One row per element's 1-based index, then the element at it (one set-returning call per
-- select: Spark allows no more).
indexed as (

    select
        account_id,
        invoice_id,
        taxes,
        synced_at,
        {{ json_array_subscripts('taxes') }} as tax_index
    from tax_lists

),

unnested as (

    select
        account_id,
        invoice_id,
        tax_index,
        synced_at,
        {{ json_array_element('taxes', 'tax_index') }} as tax
    from indexed

),

renamed as (

    select
        account_id,
        invoice_id || ':' || cast(tax_index as {{ ledgerdesk.text_type() }}) as invoice_tax_id,
        invoice_id,
        tax_index,
        coalesce(
            {{ json_text('tax', '$.tax_rate_details.tax_rate') }},
            {{ json_text('tax', '$.tax_rate') }}
        ) as tax_rate_id,
        cast({{ json_value('tax', '$.amount') }} as bigint) as tax_minor,
        cast({{ json_value('tax', '$.taxable_amount') }} as bigint) as taxable_minor,
        {{ json_text('tax', '$.taxability_reason') }} as taxability_reason,
        coalesce(
            {{ json_text('tax', '$.tax_behavior') }} = 'inclusive',
            cast({{ json_value('tax', '$.inclusive') }} as boolean)
        ) as is_inclusive,
        synced_at

    from unnested

)

select * from renamed
