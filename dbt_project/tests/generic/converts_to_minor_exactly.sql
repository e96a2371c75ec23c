{#- Every decimal-text amount of the column converts exactly to ISO 4217 minor units through
    decimal_to_minor() (macros/money.sql): rows returned are the amounts that do not (not a
    number in the gateway's money format, more decimals than the currency allows there, or a
    currency outside the seed), which the intermediate contracts carry as NULL, never
    rounded. Warns by default (real data can do it); `config: {severity: error}` blocks.
    For a gateway's staging column that keeps the text, e.g. in _braintree__models.yml:
      - name: amount
        data_tests:
          - converts_to_minor_exactly:
              arguments: {currency_column: currency, gateway: braintree}
-#}
{% test converts_to_minor_exactly(model, column_name, currency_column, gateway) %}
    {{ config(severity='warn') }}
    with amounts as (

        select * from {{ model }}

    )

    select
        amounts.{{ column_name }} as amount_text,
        amounts.{{ currency_column }} as currency
    from amounts
    {{ join_decimal_places('places', 'amounts.' ~ currency_column, gateway) }}
    where
        amounts.{{ column_name }} is not null
        and {{ decimal_to_minor('amounts.' ~ column_name, 'places') }} is null
{% endtest %}
