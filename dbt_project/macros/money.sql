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

{#- decimal_to_minor(text_col, places): a gateway's amount sent as decimal text (Braintree
    "12.30", PayPal "1500"), exactly, as integer ISO 4217 minor units of its currency
    (DECISIONLOG.md, 2026-12-01: decimal amounts; the same rule as ledgerdesk.money.
    decimal_to_minor). `places` is the alias of the row of util_decimal_places joined for the
    amount's (gateway, currency) by join_decimal_places(): a join, not a lookup per value.

    - The text must match PayPal's published money pattern `-?[0-9]+` or `-?[0-9]*\.[0-9]+`
      (no sign but '-', no exponent, no spaces, no thousands separator): anything else is
      NULL ("1e3", "1,5", " 12", "12.", "", "abc").
    - It converts iff it is exact in the decimals the gateway allows for the currency
      (places.decimals_allowed: the gateway's exponent, never more than ISO's): digits past
      them must be zeros. "1500.00" JPY is 1500; "1500.5" JPY, "12.345" USD, "10.5" HUF at
      PayPal are NULL, never rounded; so is a currency outside the seed (no places row).
    - More than 18 digits is NULL (beyond BIGINT), never an error.
    Portable SQL: translate, position, substring, trim(trailing), rpad, length, replace, CASE
    and a cast of digit text to BIGINT (the shapes DuckDB, PostgreSQL and Spark share); no
    regex, no float, no subquery. -#}
{% macro decimal_to_minor(text_col, places) -%}
    {%- set text = "(" ~ text_col ~ ")" -%}
    {%- set rest = "translate(" ~ text ~ ", '0123456789', '')" -%}
    {%- set dot = "position('.' in " ~ text ~ ")" -%}
    {%- set whole = "(case when " ~ dot ~ " > 0 then substring(" ~ text ~ ", 1, " ~ dot
        ~ " - 1) else " ~ text ~ " end)" -%}
    {%- set fraction = "trim(trailing '0' from case when " ~ dot ~ " > 0 then substring("
        ~ text ~ ", " ~ dot ~ " + 1) else '' end)" -%}
    case
        when
            {{ text }} is null
            -- digits, at most one '-' first and one '.' not last: PayPal's money pattern
            or length({{ text }}) <= length({{ rest }})
            or {{ rest }} not in ('', '.', '-', '-.')
            or ({{ rest }} in ('-', '-.') and substring({{ text }}, 1, 1) != '-')
            or ({{ rest }} in ('.', '-.') and substring({{ text }}, length({{ text }}), 1) = '.')
            then null
        when
            length({{ fraction }}) <= {{ places }}.decimals_allowed
            and length(replace({{ whole }}, '-', '')) <= 18 - {{ places }}.iso_exponent
            then cast(
                case
                    when replace({{ whole }}, '-', '') = '' and {{ fraction }} = '' then '0'
                    else {{ whole }} || rpad({{ fraction }}, {{ places }}.iso_exponent, '0')
                end as bigint
            )
    end
{%- endmacro %}

{#- join_decimal_places(places, currency_col, gateway=None, gateway_col=None): the join that
    gives decimal_to_minor() its row: `left join util_decimal_places as <places>` on the
    amount's currency and the gateway, a literal name ('braintree') or, for a model that mixes
    gateways, a column (gateway_col). A left join: an unknown currency keeps its row, with a
    NULL amount. -#}
{% macro join_decimal_places(places, currency_col, gateway=None, gateway_col=None) -%}
    left join {{ ref('util_decimal_places') }} as {{ places }}
        on
            {{ currency_col }} = {{ places }}.currency
            and {{ gateway_col if gateway_col else "'" ~ gateway ~ "'" }} = {{ places }}.gateway
{%- endmacro %}

{#- The rows of `texts` (amount_column, amount_text, currency) whose amount text does not
    convert exactly into `gateway`'s minor units of its currency, once each: the body of each
    gateway's assert_<gateway>_amounts_convert_exactly test. -#}
{% macro inexact_amount_texts(texts, gateway) -%}
    select distinct
        {{ texts }}.amount_column,
        {{ texts }}.amount_text,
        {{ texts }}.currency
    from {{ texts }}
    {{ join_decimal_places('places', texts ~ '.currency', gateway) }}
    where
        {{ texts }}.amount_text is not null
        and {{ decimal_to_minor(texts ~ '.amount_text', 'places') }} is null
{%- endmacro %}
