-- The decimals each gateway allows in its decimal amount text, per currency: one row per
-- (gateway, currency) for every gateway listed (vars.gateways) or named in the exceptions
-- seed, and every currency of the currencies seed. decimal_to_minor() reads it through a
-- join (join_decimal_places), never a lookup per value. decimals_allowed is the gateway's
-- exponent for charges (context 'charge', else '*'; PayPal HUF and TWD 0) else ISO's, never
-- more than ISO's (the result is whole ISO 4217 minor units).
with

currencies as (

    select * from {{ ref('currencies') }}

),

exceptions as (

    select * from {{ ref('currencies_gateway_exceptions') }}

),

gateways as (

    select gateway from exceptions
    {%- for gateway in var('gateways') %}
        union
        select '{{ gateway }}' as gateway
    {%- endfor %}

),

gateway_exponents as (

    select
        gateway,
        currency,
        coalesce(
            max(case when context = 'charge' then exponent end),
            max(case when context = '*' then exponent end)
        ) as exponent
    from exceptions
    where context in ('charge', '*')
    group by gateway, currency

),

final as (

    select
        gateways.gateway,
        currencies.currency,
        currencies.minor_unit_exponent as iso_exponent,
        least(
            coalesce(gateway_exponents.exponent, currencies.minor_unit_exponent),
            currencies.minor_unit_exponent
        ) as decimals_allowed

    from gateways
    cross join currencies
    left join gateway_exponents
        on
            gateways.gateway = gateway_exponents.gateway
            and currencies.currency = gateway_exponents.currency

)

select * from final
