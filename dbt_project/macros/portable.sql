{#- What differs between engines (issue 16), dispatched per adapter so that no model is ever
    copied per engine. DuckDB (the default) keeps exactly the SQL it had before; PostgreSQL
    reads the raw payload as jsonb; Spark reads it as JSON text (written, not run here).

    Paths are written once, JSONPath style as DuckDB reads them: '$.a.b', '$.items[0].c'.

    json_text(col, path): the value at path as text (NULL when absent or JSON null).
    json_value(col, path): the value at path for a cast to a number, boolean or timestamp:
      DuckDB's JSON value (cast(json '12' as bigint) as before), text elsewhere. -#}

{% macro json_path_parts(path) -%}
    {%- set parts = [] -%}
    {%- for part in path.replace('$.', '', 1).replace('[', '.').replace(']', '').split('.') -%}
        {%- if part != '' -%}{%- do parts.append(part) -%}{%- endif -%}
    {%- endfor -%}
    {{- return(parts) -}}
{%- endmacro %}

{% macro json_text(col, path) -%}
    {{- return(adapter.dispatch('json_text', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_text(col, path) -%}
    json_extract_string({{ col }}, '{{ path }}')
{%- endmacro %}

{% macro postgres__json_text(col, path) -%}
    ({{ col }} #>> '{ {{- ledgerdesk.json_path_parts(path) | join(',') -}} }')
{%- endmacro %}

{% macro spark__json_text(col, path) -%}
    get_json_object({{ col }}, '{{ path }}')
{%- endmacro %}

{% macro json_value(col, path) -%}
    {{- return(adapter.dispatch('json_value', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_value(col, path) -%}
    json_extract({{ col }}, '{{ path }}')
{%- endmacro %}

{% macro postgres__json_value(col, path) -%}
    {{ ledgerdesk.postgres__json_text(col, path) }}
{%- endmacro %}

{% macro spark__json_value(col, path) -%}
    get_json_object({{ col }}, '{{ path }}')
{%- endmacro %}

{#- json_object_at(col, path): the JSON object or array at path, still JSON (for a later
    json_text / json_elements on it). -#}
{% macro json_object_at(col, path) -%}
    {{- return(adapter.dispatch('json_object_at', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_object_at(col, path) -%}
    json_extract({{ col }}, '{{ path }}')
{%- endmacro %}

{% macro postgres__json_object_at(col, path) -%}
    ({{ col }} #> '{ {{- ledgerdesk.json_path_parts(path) | join(',') -}} }')
{%- endmacro %}

{% macro spark__json_object_at(col, path) -%}
    get_json_object({{ col }}, '{{ path }}')
{%- endmacro %}

{#- The JSON type a raw payload has on the engine (an empty raw table's placeholder). -#}
{% macro payload_json_type() -%}
    {{- return(adapter.dispatch('payload_json_type', 'ledgerdesk')()) -}}
{%- endmacro %}

{% macro default__payload_json_type() -%}json{%- endmacro %}

{% macro postgres__payload_json_type() -%}jsonb{%- endmacro %}

{% macro spark__payload_json_type() -%}string{%- endmacro %}

{#- Unix seconds to a TIMESTAMP without time zone, UTC by convention. -#}
{% macro epoch_seconds_to_timestamp(seconds_expr) -%}
    {{- return(adapter.dispatch('epoch_seconds_to_timestamp', 'ledgerdesk')(seconds_expr)) -}}
{%- endmacro %}

{% macro default__epoch_seconds_to_timestamp(seconds_expr) -%}
    make_timestamp(cast({{ seconds_expr }} as bigint) * 1000000)
{%- endmacro %}

{% macro postgres__epoch_seconds_to_timestamp(seconds_expr) -%}
    (to_timestamp(cast({{ seconds_expr }} as bigint)) at time zone 'UTC')
{%- endmacro %}

{% macro spark__epoch_seconds_to_timestamp(seconds_expr) -%}
    timestamp_seconds(cast({{ seconds_expr }} as bigint))
{%- endmacro %}

{#- json_array_elements(col, path): one row per element of the JSON array at path, each
    element still JSON, in the select list (`{{ json_array_elements('payload', '$.lines.data') }}
    as line`); a missing, null or non-array value gives no row on every engine. -#}
{% macro json_array_elements(col, path) -%}
    {{- return(adapter.dispatch('json_array_elements', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_array_elements(col, path) -%}
    unnest(json_extract({{ col }}, '{{ path }}[*]'))
{%- endmacro %}

{% macro postgres__json_array_elements(col, path) -%}
    jsonb_array_elements({{ ledgerdesk.postgres__json_array_at(col, path) }})
{%- endmacro %}

{% macro spark__json_array_elements(col, path) -%}
    explode(from_json(get_json_object({{ col }}, '{{ path }}'), 'array<string>'))
{%- endmacro %}

{#- The array at path when it is one, else NULL (jsonb_array_elements refuses a scalar). -#}
{% macro postgres__json_array_at(col, path) -%}
    {%- set value = ledgerdesk.postgres__json_object_at(col, path) -%}
    case when jsonb_typeof({{ value }}) = 'array' then {{ value }} end
{%- endmacro %}

{#- json_array_aggregate(agg, col, path, field, type): sum, min or max of the number `field`
    of every object of the array at path, as `type` (bigint); NULL for an empty or missing
    array (DuckDB's list_sum of an empty list is NULL, so is SQL's sum of no row). -#}
{% macro json_array_aggregate(agg, col, path, field, type='bigint') -%}
    {{- return(adapter.dispatch('json_array_aggregate', 'ledgerdesk')(agg, col, path, field, type)) -}}
{%- endmacro %}

{% macro default__json_array_aggregate(agg, col, path, field, type) -%}
    list_{{ agg }}(cast(json_extract({{ col }}, '{{ path }}[*].{{ field }}') as {{ type }}[]))
{%- endmacro %}

{% macro postgres__json_array_aggregate(agg, col, path, field, type) -%}
    (
        select {{ agg }}(cast(array_element.value #>> '{ {{- field -}} }' as {{ type }}))
        from jsonb_array_elements({{ ledgerdesk.postgres__json_array_at(col, path) }}) as array_element
    )
{%- endmacro %}

{% macro spark__json_array_aggregate(agg, col, path, field, type) -%}
    {%- set values = "transform(from_json(get_json_object(" ~ col ~ ", '" ~ path
        ~ "'), 'array<string>'), element -> cast(get_json_object(element, '$." ~ field
        ~ "') as " ~ type ~ "))" -%}
    {%- if agg == 'sum' -%}
        aggregate({{ values }}, cast(null as {{ type }}), (total, value) -> coalesce(total, 0) + value)
    {%- else -%}
        array_{{ agg }}({{ values }})
    {%- endif -%}
{%- endmacro %}

{#- timestamptz_text_to_epoch_seconds(text_expr): ISO 8601 text with its offset
    ('2026-01-05T10:00:00Z', PayPal's times) as Unix seconds, for epoch_to_utc. -#}
{% macro timestamptz_text_to_epoch_seconds(text_expr) -%}
    {{- return(adapter.dispatch('timestamptz_text_to_epoch_seconds', 'ledgerdesk')(text_expr)) -}}
{%- endmacro %}

{% macro default__timestamptz_text_to_epoch_seconds(text_expr) -%}
    epoch(cast({{ text_expr }} as timestamptz))
{%- endmacro %}

{% macro postgres__timestamptz_text_to_epoch_seconds(text_expr) -%}
    extract(epoch from cast({{ text_expr }} as timestamptz))
{%- endmacro %}

{% macro spark__timestamptz_text_to_epoch_seconds(text_expr) -%}
    unix_timestamp(to_timestamp({{ text_expr }}))
{%- endmacro %}
