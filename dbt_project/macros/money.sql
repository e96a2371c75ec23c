{#- Money in the models (DECISIONLOG.md, 2026-12-01: ISO 4217 minor units from intermediate on).

    to_iso_minor(amount_col, currency_col, gateway): a gateway's amount, in the gateway's own
    minor units as staging keeps it, converted to the ISO 4217 minor units of its currency.
    Called once per money column, in the per-gateway intermediate model; `gateway` is the
    gateway's name ('stripe'), a literal there. The shift is the gateway's exponent for
    charges (context 'charge', else '*') in the currencies_gateway_exceptions seed minus the
    ISO exponent in the currencies seed; a currency without an exception row is in ISO units
    already (shift 0, unknown currencies included: the currency relationships tests catch
    those). Exact, integer arithmetic only: a positive shift divides by 10^shift when the
    amount is a multiple of it and gives NULL when it is not (Stripe ISK 270050 is no whole
    krona; tests/assert_gateway_amounts_convert_exactly.sql lists every such row); a negative
    shift multiplies (Stripe MGA 1500 -> 150000). The division is a multiplication by a
    decimal literal (0.01), exact in DuckDB, PostgreSQL and Spark alike, of an amount known to
    be divisible, cast back to BIGINT. The lookup is one aggregated scalar subquery (the form
    Spark accepts for correlation); the seeds' columns are renamed inside so that unqualified
    caller columns bind to the caller's row. -#}
{% macro to_iso_minor(amount_col, currency_col, gateway) -%}
    {%- set amount = "(" ~ amount_col ~ ")" -%}
    case (
        select
            coalesce(
                max(case when gateway_rule.rule_context = 'charge' then gateway_rule.rule_shift end),
                max(case when gateway_rule.rule_context = '*' then gateway_rule.rule_shift end),
                0
            )
        from (
            select
                gateway_exception.gateway as rule_gateway,
                gateway_exception.currency as rule_currency,
                gateway_exception.context as rule_context,
                gateway_exception.exponent - iso.minor_unit_exponent as rule_shift
            from {{ ref('currencies_gateway_exceptions') }} as gateway_exception
            inner join {{ ref('currencies') }} as iso
                on gateway_exception.currency = iso.currency
        ) as gateway_rule
        where
            gateway_rule.rule_gateway = '{{ gateway }}'
            and gateway_rule.rule_currency = {{ currency_col }}
            and gateway_rule.rule_context in ('charge', '*')
    )
        when 0 then {{ amount }}
        {%- for shift in (1, 2, 3) %}
        when {{ shift }} then
            case
                when {{ amount }} % {{ 10 ** shift }} = 0
                    then cast(
                        cast({{ amount }} as decimal(38, 0)) * {{ '0.' ~ '0' * (shift - 1) ~ '1' }}
                        as bigint
                    )
            end
        {%- endfor %}
        {%- for shift in (1, 2, 3) %}
        when -{{ shift }} then {{ amount }} * {{ 10 ** shift }}
        {%- endfor %}
    end
{%- endmacro %}

{#- Major units as an exact DECIMAL(38, 3): ISO 4217 minor units times 10^-exponent, the
    exponent from the currencies seed (JPY 0, USD 2, KWD 3, ISK 0). Its input is an amount of
    the intermediate contracts or the marts, already in ISO minor units (to_iso_minor), so it
    never reads a gateway's exceptions. Multiplication by a decimal literal keeps DuckDB exact;
    dividing a DECIMAL would give a DOUBLE. The seed's columns are renamed inside so that an
    unqualified `currency` argument binds to the caller's row. An unknown currency gives NULL
    (the currency relationships tests catch it). -#}
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
