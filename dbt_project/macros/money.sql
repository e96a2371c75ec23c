{#- Major units as an exact DECIMAL(38, 3): the minor amount times 10^-exponent, with the
    exponent looked up in the currencies seed (JPY 0, USD 2, KWD 3). Multiplication by a
    decimal literal keeps DuckDB exact; dividing a DECIMAL would give a DOUBLE. The seed's
    columns are renamed inside so that an unqualified `currency` argument binds to the
    caller's row. An unknown currency gives NULL (the currency relationships tests catch it). -#}
{% macro to_major(amount_col, currency_col) -%}
    cast(
        cast({{ amount_col }} as decimal(38, 0)) * (
            select
                case seed.seed_exponent
                    when 0 then 1.000
                    when 1 then 0.100
                    when 2 then 0.010
                    when 3 then 0.001
                end
            from (
                select
                    currency as seed_currency,
                    minor_unit_exponent as seed_exponent
                from {{ ref('currencies') }}
            ) as seed
            where seed.seed_currency = {{ currency_col }}
        ) as decimal(38, 3)
    )
{%- endmacro %}
