{#- Unix seconds to a TIMESTAMP that is UTC by convention (no session time zone can shift
    a month boundary). -#}
{% macro epoch_to_utc(seconds_expr) -%}
    {{ ledgerdesk.epoch_seconds_to_timestamp(seconds_expr) }}
{%- endmacro %}

{#- Braintree's time text, `2021-01-25T19:17:43Z` (UTC, as its XML writes it), to a TIMESTAMP
    that is UTC by convention, like epoch_to_utc's. -#}
{% macro braintree_utc_timestamp(text_expr) -%}
    cast(replace(replace({{ text_expr }}, 'T', ' '), 'Z', '') as timestamp)
{%- endmacro %}
