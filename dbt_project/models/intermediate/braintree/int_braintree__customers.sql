with

customers as (

    select * from {{ ref('stg_braintree__customers') }}

),

final as (

    select
        {{ scoped_id('braintree', 'customers.account_id', 'customers.customer_id') }}
            as customer_id,
        'braintree' as gateway,
        customers.account_id,
        customers.customer_id as source_customer_id,
        customers.email,
        customers.email_normalized,
        coalesce(
            customers.company,
            nullif(trim(concat_ws(' ', customers.first_name, customers.last_name)), '')
        ) as customer_name,
        customers.country,
        -- a Braintree customer has no currency or balance of its own
        cast(null as {{ ledgerdesk.text_type() }}) as currency,
        cast(null as bigint) as balance_minor,
        customers.created_at,
        -- Braintree deletes a customer outright: a landed one is not deleted
        false as is_deleted,
        customers.external_id,
        customers.vat_id as tax_id,
        customers.synced_at

    from customers

)

select * from final
