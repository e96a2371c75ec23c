-- Every Braintree amount text converts exactly to ISO 4217 minor units (decimal_to_minor with
-- Braintree's exponents, ISO 4217's): rows returned are the (column, text, currency) the
-- intermediate models carry as NULL, never rounded. A subscription's add-ons are in the
-- subscription's currency. Real data can do it: warns.
{{ config(severity='warn') }}

with

transactions as (

    select * from {{ ref('stg_braintree__transactions') }}

),

disputes as (

    select * from {{ ref('stg_braintree__disputes') }}

),

plans as (

    select * from {{ ref('stg_braintree__plans') }}

),

subscriptions as (

    select * from {{ ref('stg_braintree__subscriptions') }}

),

subscription_add_ons as (

    select
        add_ons.amount_text,
        subscriptions.currency
    from {{ ref('stg_braintree__subscription_add_ons') }} as add_ons
    inner join subscriptions
        on
            add_ons.account_id = subscriptions.account_id
            and add_ons.subscription_id = subscriptions.subscription_id

),

texts as (

    select
        'transactions.amount' as amount_column,
        amount_text,
        currency
    from transactions
    union all
    select
        'disputes.amount_disputed' as amount_column,
        amount_disputed_text as amount_text,
        currency
    from disputes
    union all
    select
        'disputes.amount_won' as amount_column,
        amount_won_text as amount_text,
        currency
    from disputes
    union all
    select
        'plans.price' as amount_column,
        price_text as amount_text,
        currency
    from plans
    union all
    select
        'subscriptions.price' as amount_column,
        price_text as amount_text,
        currency
    from subscriptions
    union all
    select
        'subscriptions.balance' as amount_column,
        balance_text as amount_text,
        currency
    from subscriptions
    union all
    select
        'subscriptions.add_ons.amount' as amount_column,
        amount_text,
        currency
    from subscription_add_ons

),

final as (

    {{ inexact_amount_texts('texts', 'braintree') }}

)

select * from final
