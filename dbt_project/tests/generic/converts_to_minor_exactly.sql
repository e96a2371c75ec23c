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
    select
        {{ column_name }} as amount_text,
        {{ currency_column }} as currency
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ decimal_to_minor(column_name, currency_column, gateway) }} is null
{% endtest %}
