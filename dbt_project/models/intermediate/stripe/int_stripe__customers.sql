with

customers as (

    select * from {{ ref('stg_stripe__customers') }}

),

final as (

    select
        {{ scoped_id('stripe', 'account_id', 'customer_id') }} as customer_id,
        'stripe' as gateway,
        account_id,
        customer_id as source_customer_id,
        email,
        email_normalized,
        customer_name,
        country,
        currency,
        -- Credit (negative) or amount owed (positive) carried to the next invoice.
        {{ to_iso_minor('balance_minor', 'currency', 'stripe') }} as balance_minor,
        created_at,
        is_deleted

    from customers

)

select * from final
