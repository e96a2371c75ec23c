{#- What differs between engines (issue 16), dispatched per adapter so that no model is ever
    copied per engine. DuckDB (the default) keeps exactly the SQL it had before; PostgreSQL
    reads the raw payload as jsonb; Spark reads it as JSON text (written, not run here).

    Paths are written once, JSONPath style as DuckDB reads them: '$.a.b', '$.items[0].c',
    '$.history[#-1].c' (the last element).

    json_text(col, path): the value at path as text (NULL when absent or JSON null).
    json_value(col, path): the value at path for a cast to a number, boolean or timestamp:
      DuckDB's JSON value (cast(json '12' as bigint) as before), text elsewhere. -#}

{% macro json_path_parts(path) -%}
    {%- set parts = [] -%}
    {%- for part in path.replace('$.', '', 1).replace('[', '.').replace(']', '').split('.') -%}
        {#- DuckDB's last element `[#-1]` is PostgreSQL's index -1 -#}
        {%- if part != '' -%}{%- do parts.append(part.replace('#-', '-')) -%}{%- endif -%}
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

{#- json_is_array(col, path): whether the value at path is a JSON array. -#}
{% macro json_is_array(col, path) -%}
    {{- return(adapter.dispatch('json_is_array', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_is_array(col, path) -%}
    json_type({{ col }}, '{{ path }}') = 'ARRAY'
{%- endmacro %}

{% macro postgres__json_is_array(col, path) -%}
    jsonb_typeof({{ ledgerdesk.postgres__json_object_at(col, path) }}) = 'array'
{%- endmacro %}

{#- json_array_at(col, path): the array at path as a value to unnest later with
    json_array_subscripts + json_array_element (DuckDB: a list of JSON; PostgreSQL: the jsonb
    array, NULL when it is not one). -#}
{% macro json_array_at(col, path) -%}
    {{- return(adapter.dispatch('json_array_at', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_array_at(col, path) -%}
    json_extract({{ col }}, '{{ path }}[*]')
{%- endmacro %}

{#- One row per 1-based index of a json_array_at value, in the select list (the only
    set-returning call of its select); json_array_element(the value, index) then reads the
    element at it. -#}
{% macro json_array_subscripts(array_expr) -%}
    {{- return(adapter.dispatch('json_array_subscripts', 'ledgerdesk')(array_expr)) -}}
{%- endmacro %}

{% macro default__json_array_subscripts(array_expr) -%}
    generate_subscripts({{ array_expr }}, 1)
{%- endmacro %}

{% macro postgres__json_array_subscripts(array_expr) -%}
    generate_series(1, jsonb_array_length({{ array_expr }}))
{%- endmacro %}

{% macro json_array_element(array_expr, index_expr) -%}
    {{- return(adapter.dispatch('json_array_element', 'ledgerdesk')(array_expr, index_expr)) -}}
{%- endmacro %}

{% macro default__json_array_element(array_expr, index_expr) -%}
    {{ array_expr }}[{{ index_expr }}]
{%- endmacro %}

{% macro postgres__json_array_element(array_expr, index_expr) -%}
    ({{ array_expr }} -> ({{ index_expr }} - 1))
{%- endmacro %}

{#- json_array_size(col, path): the number of elements of the array at path; NULL when
    absent (DuckDB: 0 for a non-array value, PostgreSQL: NULL; callers coalesce). -#}
{% macro json_array_size(col, path) -%}
    {{- return(adapter.dispatch('json_array_size', 'ledgerdesk')(col, path)) -}}
{%- endmacro %}

{% macro default__json_array_size(col, path) -%}
    json_array_length({{ col }}, '{{ path }}')
{%- endmacro %}

{% macro postgres__json_array_size(col, path) -%}
    jsonb_array_length({{ ledgerdesk.postgres__json_array_at(col, path) }})
{%- endmacro %}

{% macro spark__json_array_size(col, path) -%}
    json_array_length(get_json_object({{ col }}, '{{ path }}'))
{%- endmacro %}

{#- json_texts_of(col, path, field): the text of `field` of every object of the array at
    path, as an array of text (DuckDB varchar[], PostgreSQL text[]). -#}
{% macro json_texts_of(col, path, field) -%}
    {{- return(adapter.dispatch('json_texts_of', 'ledgerdesk')(col, path, field)) -}}
{%- endmacro %}

{% macro default__json_texts_of(col, path, field) -%}
    json_extract_string({{ col }}, '{{ path }}[*].{{ field }}')
{%- endmacro %}

{% macro postgres__json_texts_of(col, path, field) -%}
    array(
        select array_element.value #>> '{ {{- field -}} }'
        from jsonb_array_elements({{ ledgerdesk.postgres__json_array_at(col, path) }})
            with ordinality as array_element (value, position)
        order by array_element.position
    )
{%- endmacro %}

{#- Arrays of text: a one-element array, the empty array, the number of elements, and the
    aggregate `array_aggregate(expr, distinct, order_by, where)` ordered by the value itself.
    `where` is the aggregate's FILTER, written inside the macro because an engine may wrap
    the aggregate (Spark sorts it): a FILTER after the call would land on the wrapper. -#}
{% macro text_array_of(expr) -%}
    {{- return(adapter.dispatch('text_array_of', 'ledgerdesk')(expr)) -}}
{%- endmacro %}

{% macro default__text_array_of(expr) -%}[{{ expr }}]{%- endmacro %}

{% macro postgres__text_array_of(expr) -%}array[{{ expr }}]{%- endmacro %}

{% macro spark__text_array_of(expr) -%}array({{ expr }}){%- endmacro %}

{% macro empty_text_array() -%}
    {{- return(adapter.dispatch('empty_text_array', 'ledgerdesk')()) -}}
{%- endmacro %}

{% macro default__empty_text_array() -%}[]{%- endmacro %}

{% macro postgres__empty_text_array() -%}cast(array[] as varchar[]){%- endmacro %}

{% macro spark__empty_text_array() -%}cast(array() as array<string>){%- endmacro %}

{% macro array_size(expr) -%}
    {{- return(adapter.dispatch('array_size', 'ledgerdesk')(expr)) -}}
{%- endmacro %}

{% macro default__array_size(expr) -%}len({{ expr }}){%- endmacro %}

{% macro postgres__array_size(expr) -%}cardinality({{ expr }}){%- endmacro %}

{% macro spark__array_size(expr) -%}size({{ expr }}){%- endmacro %}

{% macro array_aggregate(expr, distinct=false, order_by=none, where=none) -%}
    {{- return(adapter.dispatch('array_aggregate', 'ledgerdesk')(expr, distinct, order_by or expr, where)) -}}
{%- endmacro %}

{% macro default__array_aggregate(expr, distinct, order_by, where) -%}
    list({{ 'distinct ' if distinct }}{{ expr }} order by {{ order_by }})
    {%- if where %} filter (where {{ where }}){% endif -%}
{%- endmacro %}

{% macro postgres__array_aggregate(expr, distinct, order_by, where) -%}
    array_agg({{ 'distinct ' if distinct }}{{ expr }} order by {{ order_by }})
    {%- if where %} filter (where {{ where }}){% endif -%}
{%- endmacro %}

{#- last_by(value, order_expr, where, tie) / first_by: the aggregate's value on the row with
    the greatest (least) order_expr among rows where value and order_expr are not NULL (and
    `where` holds): DuckDB's arg_max / arg_min. `tie` (a unique column of the rows, e.g. the
    object's id) breaks ties of order_expr the same way (greatest / least), so two rows with
    the same order_expr give the same answer on every engine; a call without it is refused. -#}
{% macro last_by(value, order_expr, where=none, tie=none) -%}
    {{- return(adapter.dispatch('value_by_order', 'ledgerdesk')(value, order_expr, where, 'max', value_by_order_tie(tie))) -}}
{%- endmacro %}

{% macro first_by(value, order_expr, where=none, tie=none) -%}
    {{- return(adapter.dispatch('value_by_order', 'ledgerdesk')(value, order_expr, where, 'min', value_by_order_tie(tie))) -}}
{%- endmacro %}

{% macro value_by_order_tie(tie) -%}
    {%- if tie is none -%}
        {{ exceptions.raise_compiler_error("last_by / first_by need tie=: a unique column breaking ties") }}
    {%- endif -%}
    {{- return(tie) -}}
{%- endmacro %}

{% macro default__value_by_order(value, order_expr, where, extreme, tie) -%}
    arg_{{ extreme }}({{ value }}, row({{ order_expr }}, {{ tie }}))
    filter (where {{ value }} is not null and {{ order_expr }} is not null
    {%- if where %} and ({{ where }}){% endif %})
{%- endmacro %}

{% macro postgres__value_by_order(value, order_expr, where, extreme, tie) -%}
    {%- set direction = 'desc' if extreme == 'max' else 'asc' -%}
    (array_agg({{ value }} order by {{ order_expr }} {{ direction }}, {{ tie }} {{ direction }})
        filter (where {{ value }} is not null and {{ order_expr }} is not null
        {%- if where %} and ({{ where }}){% endif %}))[1]
{%- endmacro %}

{% macro spark__value_by_order(value, order_expr, where, extreme, tie) -%}
    {{ extreme }}_by({{ value }}, struct({{ order_expr }}, {{ tie }}))
    filter (where {{ value }} is not null and {{ order_expr }} is not null
    {%- if where %} and ({{ where }}){% endif %})
{%- endmacro %}

{#- Integer division of non-negative integers (DuckDB `//`; PostgreSQL's `/` of integers). -#}
{% macro integer_divide(dividend, divisor) -%}
    {{- return(adapter.dispatch('integer_divide', 'ledgerdesk')(dividend, divisor)) -}}
{%- endmacro %}

{% macro default__integer_divide(dividend, divisor) -%}{{ dividend }} // {{ divisor }}{%- endmacro %}

{% macro postgres__integer_divide(dividend, divisor) -%}{{ dividend }} / {{ divisor }}{%- endmacro %}

{% macro spark__integer_divide(dividend, divisor) -%}{{ dividend }} div {{ divisor }}{%- endmacro %}
