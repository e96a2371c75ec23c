{#- Major units as an exact DECIMAL(38, 3): the minor amount times 10^-exponent, with the
    exponent looked up in the currencies seed (JPY 0, USD 2, KWD 3). Multiplication by a
    decimal literal keeps DuckDB exact; dividing a DECIMAL would give a DOUBLE. An unknown
    currency gives NULL (the currency relationships tests catch it first). -#}
{% macro to_major(amount_col, currency_col) -%}
    cast(
        cast({{ amount_col }} as decimal(38, 0)) * (
            select
                case currencies.minor_unit_exponent
                    when 0 then 1.000
                    when 1 then 0.100
                    when 2 then 0.010
                    when 3 then 0.001
                end
            from {{ ref('currencies') }} as currencies
            where currencies.currency = {{ currency_col }}
        ) as decimal(38, 3)
    )
{%- endmacro %}
