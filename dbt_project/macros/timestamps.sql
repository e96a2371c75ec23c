{#- Unix seconds to a TIMESTAMP that is UTC by convention (no session time zone can shift
    a month boundary). -#}
{% macro epoch_to_utc(seconds_expr) -%}
    make_timestamp(cast({{ seconds_expr }} as bigint) * 1000000)
{%- endmacro %}
