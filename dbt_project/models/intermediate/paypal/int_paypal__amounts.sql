{{ config(materialized='table') }}
-- Every PayPal amount text with its currency, once, in ISO 4217 minor units: the money
-- columns of the PayPal contracts join this instead of converting row by row (the
-- conversion's seed lookup costs milliseconds a call; plan prices repeat, so distinct
-- pairs are few). NULL where decimal_to_minor refuses the text (more decimals than allowed).
with

transactions as (

    select * from {{ ref('stg_paypal__transactions') }}

),

disputes as (

    select * from {{ ref('stg_paypal__disputes') }}

),

invoices as (

    select * from {{ ref('stg_paypal__invoices') }}

),

texts as (

    select
        amount_value as amount_text,
        currency
    from transactions
    union all
    select
        amount_value as amount_text,
        currency
    from disputes
    union all
    select
        item_total_value as amount_text,
        currency
    from invoices
    union all
    select
        discount_value as amount_text,
        currency
    from invoices
    union all
    select
        tax_total_value as amount_text,
        currency
    from invoices
    union all
    select
        total_value as amount_text,
        currency
    from invoices
    union all
    select
        due_value as amount_text,
        currency
    from invoices
    union all
    select
        paid_value as amount_text,
        currency
    from invoices

),

pairs as (

    select distinct
        amount_text,
        currency
    from texts
    where amount_text is not null and currency is not null

),

final as (

    select
        amount_text,
        currency,
        {{ decimal_to_minor('amount_text', 'currency', 'paypal') }} as amount_minor
    from pairs

)

select * from final
