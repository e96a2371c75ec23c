{#- Union the per-gateway conforming models of one entity, selecting each column of the
    calling model's contract (its yml `columns:`) by name, so a gateway model that orders its
    columns differently or misses one fails at build time instead of shifting data. A new
    gateway adds one ref to the caller's list. Needs no database. (At parse time the yml is
    not yet attached to the node: only the refs matter then.) -#}
{% macro union_gateways(relations) -%}
    {%- set columns = model.columns.keys() | list -%}
    {%- if columns | length == 0 and execute -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": declare its columns in yml") }}
    {%- endif -%}
    {%- for relation in relations %}
    select
        {%- for column in columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- else %}
        *
        {%- endfor %}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
