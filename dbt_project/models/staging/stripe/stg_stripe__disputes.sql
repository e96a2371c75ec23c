{%- set last_movement_seconds = json_array_aggregate(
    'max', 'payload', '$.balance_transactions', 'created'
) -%}
with

source as (

    select * from {{ source('stripe', 'disputes') }}

),

renamed as (

    select
        account_id,
        id as dispute_id,
        {{ epoch_to_utc('created') }} as created_at,
        {{ json_text('payload', '$.charge') }} as charge_id,
        {{ json_text('payload', '$.payment_intent') }} as payment_intent_id,
        {{ json_text('payload', '$.status') }} as status,
        cast({{ json_value('payload', '$.amount') }} as bigint) as amount_minor,
        upper({{ json_text('payload', '$.currency') }}) as currency,
        {{ json_text('payload', '$.reason') }} as reason,
        {{ epoch_to_utc(json_value('payload', '$.evidence_details.due_by')) }}
            as evidence_due_at,
        cast({{ json_value('payload', '$.is_charge_refundable') }} as boolean)
            as is_charge_refundable,
        -- Stripe has no closed_at: the newest balance transaction (withdrawal or
        -- reinstatement) is the best available time of the last money movement.
        {{ epoch_to_utc(last_movement_seconds) }} as last_balance_transaction_at,
        version_at,
        synced_at

    from source

)

select * from renamed
