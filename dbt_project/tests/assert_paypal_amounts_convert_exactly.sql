-- Every PayPal amount text converts exactly to ISO 4217 minor units (decimal_to_minor with
-- PayPal's decimals: JPY, HUF and TWD none): rows returned are the (column, text, currency)
-- the contracts carry as NULL, never rounded. Real data can do it: warns.
{{ config(severity='warn') }}

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
        'transactions.amount_value' as amount_column,
        amount_value as amount_text,
        currency
    from transactions
    union all
    select
        'disputes.amount_value' as amount_column,
        amount_value as amount_text,
        currency
    from disputes
    {%- for column in ['item_total_value', 'discount_value', 'tax_total_value', 'total_value',
        'due_value', 'paid_value'] %}
        union all
        select
            'invoices.{{ column }}' as amount_column,
            {{ column }} as amount_text,
            currency
        from invoices
    {%- endfor %}

),

final as (

    {{ inexact_amount_texts('texts', 'paypal') }}

)

select * from final
