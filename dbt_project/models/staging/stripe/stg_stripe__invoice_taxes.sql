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
        case
            when {{ json_is_array('payload', '$.total_taxes') }}
                then {{ json_array_at('payload', '$.total_taxes') }}
            else {{ json_array_at('payload', '$.total_tax_amounts') }}
        end as taxes
    from source

),

unnested as (

    select
        account_id,
        invoice_id,
        {{ json_array_unnest('taxes') }} as tax,
        {{ json_array_subscripts('taxes') }} as tax_index
    from tax_lists

),

renamed as (

    select
        account_id,
        invoice_id || ':' || cast(tax_index as varchar) as invoice_tax_id,
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
        ) as is_inclusive

    from unnested

)

select * from renamed
