{#- A `gateway` column holds only the gateways of vars.gateways (dbt_project.yml), the one
    list: no yml repeats it. Warns, like every accepted_values (warn_on_real_data.sql). -#}
{% test accepted_gateways(model, column_name) %}
    {{ config(severity='warn') }}
    {{ return(adapter.dispatch('test_accepted_values', 'dbt')(
        model, column_name, var('gateways'), True
    )) }}
{% endtest %}
