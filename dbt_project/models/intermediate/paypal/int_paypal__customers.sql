-- PayPal has no customer object: a customer is a payer (payer id), seen in Transaction
-- Search's payer_info and in subscriptions' subscriber. Email, name and country from the
-- payer's latest transaction; the external id from custom_field / custom_id.
with

transactions as (

    select * from {{ ref('stg_paypal__transactions') }}

),

subscriptions as (

    select * from {{ ref('stg_paypal__subscriptions') }}

),

seen as (

    select
        account_id,
        payer_id,
        transaction_id as seen_id,
        payer_email as email,
        payer_name as customer_name,
        payer_country as country,
        currency,
        custom_field as external_id,
        created_at,
        synced_at
    from transactions
    where payer_id is not null

    union all

    select
        account_id,
        payer_id,
        subscription_id as seen_id,
        subscriber_email as email,
        cast(null as {{ ledgerdesk.text_type() }}) as customer_name,
        cast(null as {{ ledgerdesk.text_type() }}) as country,
        cast(null as {{ ledgerdesk.text_type() }}) as currency,
        custom_id as external_id,
        created_at,
        synced_at
    from subscriptions
    where payer_id is not null

),

payers as (

    select
        account_id,
        payer_id,
        {{ last_by('email', 'created_at', tie='seen_id') }} as email,
        {{ last_by('customer_name', 'created_at', tie='seen_id') }} as customer_name,
        {{ last_by('country', 'created_at', tie='seen_id') }} as country,
        {{ first_by('currency', 'created_at', tie='seen_id') }} as currency,
        max(external_id) as external_id,
        min(created_at) as created_at,
        max(synced_at) as synced_at
    from seen
    group by account_id, payer_id

),

final as (

    select
        {{ scoped_id('paypal', 'account_id', 'payer_id') }} as customer_id,
        'paypal' as gateway,
        account_id,
        payer_id as source_customer_id,
        email,
        {{ normalize_email('email') }} as email_normalized,
        customer_name,
        country,
        currency,
        cast(null as bigint) as balance_minor,
        created_at,
        false as is_deleted,
        external_id,
        cast(null as {{ ledgerdesk.text_type() }}) as tax_id,
        synced_at

    from payers

)

select * from final
