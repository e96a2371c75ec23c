with

source as (

    select * from {{ source('stripe', 'invoices') }}

),

unnested as (

    select
        account_id,
        id as invoice_id,
        synced_at,
        {{ json_array_elements('payload', '$.lines.data') }} as line
    from source

),

renamed as (

    select
        account_id,
        {{ json_text('line', '$.id') }} as invoice_line_id,
        invoice_id,
        {{ json_text('line', '$.description') }} as description,
        cast({{ json_value('line', '$.amount') }} as bigint) as amount_minor,
        cast({{ json_value('line', '$.subtotal') }} as bigint) as subtotal_minor,
        cast(
            {{ json_array_aggregate('sum', 'line', '$.discount_amounts', 'amount') }}
            as bigint
        ) as discount_minor,
        cast(
            {{ json_array_aggregate('sum', 'line', '$.taxes', 'amount') }} as bigint
        ) as tax_minor,
        upper({{ json_text('line', '$.currency') }}) as currency,
        cast({{ json_value('line', '$.quantity') }} as bigint) as quantity,
        coalesce(
            {{ json_text('line', '$.pricing.price_details.price') }},
            {{ json_text('line', '$.price.id') }}
        ) as price_id,
        coalesce(
            {{ json_text('line', '$.pricing.price_details.product') }},
            {{ json_text('line', '$.price.product') }}
        ) as product_id,
        -- 2025+ versions: parent.<type>_details, where type says which one applies;
        -- older versions: fields on the line itself.
        case {{ json_text('line', '$.parent.type') }}
            when 'subscription_item_details'
                then {{ json_text('line', '$.parent.subscription_item_details.subscription') }}
            when 'invoice_item_details'
                then {{ json_text('line', '$.parent.invoice_item_details.subscription') }}
            else {{ json_text('line', '$.subscription') }}
        end as subscription_id,
        case {{ json_text('line', '$.parent.type') }}
            when 'subscription_item_details'
                then {{ json_text('line', '$.parent.subscription_item_details.subscription_item') }}
            else {{ json_text('line', '$.subscription_item') }}
        end as subscription_item_id,
        {{ json_text('line', '$.parent.type') }} as parent_type,
        coalesce(
            case {{ json_text('line', '$.parent.type') }}
                when 'subscription_item_details'
                    then cast(
                        {{ json_value('line', '$.parent.subscription_item_details.proration') }}
                        as boolean
                    )
                when 'invoice_item_details'
                    then cast(
                        {{ json_value('line', '$.parent.invoice_item_details.proration') }}
                        as boolean
                    )
                else cast({{ json_value('line', '$.proration') }} as boolean)
            end,
            false
        ) as is_proration,
        {{ epoch_to_utc(json_value('line', '$.period.start')) }} as period_started_at,
        {{ epoch_to_utc(json_value('line', '$.period.end')) }} as period_ended_at,
        synced_at

    from unnested

)

select * from renamed
