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
        created_at,
        is_deleted

    from customers

)

select * from final
