{#- Major units as an exact DECIMAL(38, 3): the minor amount times 10^-exponent.
    The exponent is ISO 4217's from the currencies seed (JPY 0, USD 2, KWD 3, ISK 0), unless
    `gateway_col` is given: then the gateway's own exponent for charges wins where the
    currencies_gateway_exceptions seed has one (Stripe: ISK and UGX 2, MGA 0).
    Multiplication by a decimal literal keeps DuckDB exact; dividing a DECIMAL would give a
    DOUBLE. The seeds' columns are renamed inside so that unqualified `currency` / `gateway`
    arguments bind to the caller's row. An unknown currency gives NULL (the currency
    relationships tests catch it). Two-argument callers never read the exceptions seed. -#}
{% macro to_major(amount_col, currency_col, gateway_col=none) -%}
    cast(
        cast({{ amount_col }} as decimal(38, 0)) * (
            select
                case
                    {%- if gateway_col is not none %}
                        coalesce(
                            (
                                select gateway_rule.rule_exponent
                                from (
                                    select
                                        gateway as rule_gateway,
                                        currency as rule_currency,
                                        context as rule_context,
                                        exponent as rule_exponent
                                    from {{ ref('currencies_gateway_exceptions') }}
                                ) as gateway_rule
                                where
                                    gateway_rule.rule_gateway = {{ gateway_col }}
                                    and gateway_rule.rule_currency = seed.seed_currency
                                    and gateway_rule.rule_context in ('charge', '*')
                                order by gateway_rule.rule_context = 'charge' desc
                                limit 1
                            ),
                            seed.seed_exponent
                        )
                    {%- else %}
                        seed.seed_exponent
                    {%- endif %}
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
