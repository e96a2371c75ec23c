{#- How a VAT/GST id is compared across gateways (DECISIONLOG.md, room identity): upper
    case, without spaces, dots, hyphens and slashes ("de 123.456-789" is DE123456789); empty
    is none. The country prefix stays: it is part of an EU VAT id. Portable (translate). -#}
{% macro normalize_tax_id(tax_id_expr) -%}
    nullif(upper(translate(trim({{ tax_id_expr }}), ' .-/', '')), '')
{%- endmacro %}

{#- How an external id (the company's own id of a person) is compared: trimmed, case kept
    (an id is the company's, not a word); empty is none. -#}
{% macro normalize_external_id(external_id_expr) -%}
    nullif(trim({{ external_id_expr }}), '')
{%- endmacro %}
