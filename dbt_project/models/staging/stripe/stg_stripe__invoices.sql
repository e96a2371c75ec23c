with

source as (

    select * from {{ source('stripe', 'invoices') }}

),

renamed as (

    select
        account_id,
        id as invoice_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.customer') }} as customer_id,
        -- The customer's first tax id as the invoice copied it (the customer's own list
        -- until finalized, frozen then).
        nullif(trim({{ json_text('payload', '$.customer_tax_ids[0].value') }}), '')
            as customer_tax_id,
        -- 2025+ versions: parent.subscription_details; older: invoice.subscription.
        coalesce(
            {{ json_text('payload', '$.parent.subscription_details.subscription') }},
            {{ json_text('payload', '$.subscription') }}
        ) as subscription_id,
        {{ json_text('payload', '$.number') }} as invoice_number,
        {{ json_text('payload', '$.status') }} as status,
        {{ json_text('payload', '$.billing_reason') }} as billing_reason,
        {{ json_text('payload', '$.collection_method') }} as collection_method,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        cast({{ json_value('payload', '$.subtotal') }} as bigint) as subtotal_minor,
        cast({{ json_value('payload', '$.subtotal_excluding_tax') }} as bigint)
            as subtotal_excluding_tax_minor,
        cast({{ json_value('payload', '$.total') }} as bigint) as total_minor,
        cast({{ json_value('payload', '$.total_excluding_tax') }} as bigint)
            as total_excluding_tax_minor,
        cast({{ json_value('payload', '$.amount_due') }} as bigint) as amount_due_minor,
        cast({{ json_value('payload', '$.amount_paid') }} as bigint) as amount_paid_minor,
        -- Older versions lack amount_remaining: Stripe defines it as amount_due - amount_paid
        -- (0 once paid).
        coalesce(
            cast({{ json_value('payload', '$.amount_remaining') }} as bigint),
            case
                when {{ json_text('payload', '$.status') }} = 'paid' then 0
                else
                    cast({{ json_value('payload', '$.amount_due') }} as bigint)
                    - cast({{ json_value('payload', '$.amount_paid') }} as bigint)
            end
        ) as amount_remaining_minor,
        -- Older versions carry one tax figure; newer ones only the total_taxes list.
        cast({{ json_value('payload', '$.tax') }} as bigint) as legacy_tax_minor,
        cast(
            {{ json_array_aggregate('sum', 'payload', '$.total_discount_amounts', 'amount') }}
            as bigint
        ) as discount_minor,
        {{ json_text('payload', '$.customer_email') }} as customer_email,
        upper({{ json_text('payload', '$.customer_address.country') }})
            as customer_country,
        {{ epoch_to_utc(json_value('payload', '$.due_date')) }} as due_at,
        {{ epoch_to_utc(json_value('payload', '$.period_start')) }} as period_started_at,
        {{ epoch_to_utc(json_value('payload', '$.period_end')) }} as period_ended_at,
        {{ epoch_to_utc(json_value('payload', '$.status_transitions.finalized_at')) }}
            as finalized_at,
        {{ epoch_to_utc(json_value('payload', '$.status_transitions.paid_at')) }} as paid_at,
        {{ epoch_to_utc(json_value('payload', '$.status_transitions.voided_at')) }}
            as voided_at,
        {{ epoch_to_utc(json_value('payload', '$.status_transitions.marked_uncollectible_at')) }}
            as marked_uncollectible_at,
        -- A tombstone {id, object, deleted: true}: a draft invoice that was deleted.
        coalesce(cast({{ json_value('payload', '$.deleted') }} as boolean), false) as is_deleted,
        version_at,
        synced_at

    from source

)

select * from renamed
