{#- Schemas are exactly what dbt_project.yml names (staging, intermediate, marts), never
    prefixed with the target schema, so every reader finds marts.fct_payments. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
