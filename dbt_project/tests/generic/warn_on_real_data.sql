{#- dbt's accepted_values and relationships, warning by default: a status or currency the
    project has not listed, or a row that points at an object not (yet) landed, is what real
    data does; the build goes on and the pages show it (DECISIONLOG.md, data quality). Keys
    (unique, not_null) and contracts still block. -#}
{% test accepted_values(model, column_name, values, quote=True) %}
    {{ config(severity='warn') }}
    {{ return(adapter.dispatch('test_accepted_values', 'dbt')(model, column_name, values, quote)) }}
{% endtest %}

{% test relationships(model, column_name, to, field) %}
    {{ config(severity='warn') }}
    {{ return(adapter.dispatch('test_relationships', 'dbt')(model, column_name, to, field)) }}
{% endtest %}
