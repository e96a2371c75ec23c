{#- A gateway-scoped key, unique across gateways and accounts and readable in a support
    ticket: 'stripe:acct_main:ch_123'. NULL when the gateway's own id is NULL. -#}
{% macro scoped_id(gateway, account_col, id_col) -%}
    case
        when {{ id_col }} is not null
            then '{{ gateway }}:' || {{ account_col }} || ':' || {{ id_col }}
    end
{%- endmacro %}
