{#- Spark (issue 16): what only Spark needs. The raw tables are Parquet files the landing
    writes (pipelines/extract/engines/spark.py) under $LEDGERDESK_SPARK_DIR/raw, their commit
    in raw/manifest.json; at run start every raw table the manifest names is registered:
    an external table `<schema>.<table>__log using parquet` over its folder (every row version
    of every batch), and the view `<schema>.<table>` the sources read, one row per
    (account_id, id): the version of the newest commit, unless pruned, among the commits
    from the table's base_seq to the manifest's seq (a batch not yet committed, or files
    a compaction superseded, are never seen). DECISIONLOG.md, 2026-12-02. -#}

{% macro spark_raw_dir() -%}
    {{- return(env_var('LEDGERDESK_SPARK_DIR', '../data/spark') ~ '/raw') -}}
{%- endmacro %}

{% macro register_raw_tables() -%}
    {{- return(adapter.dispatch('register_raw_tables', 'ledgerdesk')()) -}}
{%- endmacro %}

{% macro default__register_raw_tables() -%}{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- set raw_dir = ledgerdesk.spark_raw_dir() -%}
        {#- text of the folder: its one visible file is manifest.json (no file: no table) -#}
        {%- set lines = run_query("select value from text.`" ~ raw_dir ~ "`").columns[0].values() -%}
        {%- for line in lines if line | trim -%}
            {%- set manifest = fromjson(line) -%}
            {%- for table, entry in manifest['tables'].items() -%}
                {%- set schema_name, name = table.split('.') -%}
                {%- do run_query('create database if not exists ' ~ schema_name) -%}
                {%- do run_query(
                    'create table if not exists ' ~ table ~ '__log (account_id string,'
                    ~ ' id string, created bigint, payload string, payload_hash string,'
                    ~ ' version_at bigint, synced_at timestamp, listed_at bigint, _seq bigint,'
                    ~ " _deleted boolean) using parquet location '" ~ raw_dir ~ '/'
                    ~ schema_name ~ '/' ~ name ~ "'") -%}
                {%- do run_query('refresh table ' ~ table ~ '__log') -%}
                {%- do run_query(
                    'create or replace view ' ~ table ~ ' as select account_id, id, created,'
                    ~ ' payload, payload_hash, version_at, synced_at, listed_at from (select *,'
                    ~ ' row_number() over (partition by account_id, id order by _seq desc)'
                    ~ ' as _rank from ' ~ table ~ '__log where _seq between '
                    ~ entry['base_seq'] ~ ' and ' ~ manifest['seq'] ~ ') as versions'
                    ~ ' where _rank = 1 and not _deleted') -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The email rule's stored function exists for the DuckDB snapshot and PostgreSQL's readers;
    Spark's readers are dbt's own models (staging inlines the rule), so nothing is stored. -#}
{% macro spark__create_email_normalizer() -%}{%- endmacro %}

{#- Types written once for every engine. Spark has no length-free varchar, no timestamptz
    (its timestamp is an instant, shown in the session's zone: UTC) and writes arrays as
    array<...>: models cast through these, and contracts declare DuckDB's names, which
    spark__get_empty_schema_sql translates, so one declaration holds on every engine. -#}
{% macro text_type() -%}
    {{- return(adapter.dispatch('text_type', 'ledgerdesk')()) -}}
{%- endmacro %}
{% macro default__text_type() -%}varchar{%- endmacro %}
{% macro spark__text_type() -%}string{%- endmacro %}

{% macro timestamptz_type() -%}
    {{- return(adapter.dispatch('timestamptz_type', 'ledgerdesk')()) -}}
{%- endmacro %}
{% macro default__timestamptz_type() -%}timestamptz{%- endmacro %}
{% macro spark__timestamptz_type() -%}timestamp{%- endmacro %}

{% macro text_array_type() -%}
    {{- return(adapter.dispatch('text_array_type', 'ledgerdesk')()) -}}
{%- endmacro %}
{% macro default__text_array_type() -%}varchar[]{%- endmacro %}
{% macro spark__text_array_type() -%}array<string>{%- endmacro %}

{#- A contract's declared type as Spark names it: varchar -> string, varchar[] ->
    array<string>, timestamptz -> timestamp; any other name unchanged. -#}
{% macro spark_type_name(data_type) -%}
    {%- set name = data_type | trim | lower -%}
    {%- set names = {'varchar': 'string', 'text': 'string', 'varchar[]': 'array<string>',
                     'timestamptz': 'timestamp', 'timestamp with time zone': 'timestamp'} -%}
    {{- return(names.get(name, data_type)) -}}
{%- endmacro %}

{#- dbt's contract check casts NULL to each declared type: on Spark, the declared types
    translated first (the dbt namespace looks in the root project first). -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set copy = dict(column) -%}
        {%- if column.get('data_type') is not none -%}
            {%- do copy.update({'data_type': ledgerdesk.spark_type_name(column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: copy}) -%}
    {%- endfor -%}
    {{- return(dbt.default__get_empty_schema_sql(translated)) -}}
{%- endmacro %}

{#- Seeds: dbt_project.yml's column_types name DuckDB's types; Spark's create table gets
    them translated (dbt-spark's own macro otherwise). -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = ledgerdesk.spark_type_name(column_override.get(col_name, inferred_type)) -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {%- if not loop.last -%}, {%- endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}

{#- portable.sql's JSON-array macros on Spark: an array is its JSON text split into the
    elements' JSON texts (from_json(..., 'array<string>') keeps an object element as its
    text). A value is an array when json_array_length reads it as one (get_json_object gives
    a JSON string bare, so a string that itself reads as an array would count: no gateway
    field holds one). -#}
{% macro spark__json_is_array(col, path) -%}
    coalesce(json_array_length(get_json_object({{ col }}, '{{ path }}')) is not null, false)
{%- endmacro %}

{% macro spark__json_array_at(col, path) -%}
    from_json(get_json_object({{ col }}, '{{ path }}'), 'array<string>')
{%- endmacro %}

{% macro spark__json_texts_of(col, path, field) -%}
    transform(
        from_json(get_json_object({{ col }}, '{{ path }}'), 'array<string>'),
        array_element -> get_json_object(array_element, '$.{{ field }}')
    )
{%- endmacro %}

{#- array_aggregate(expr, distinct, order_by, where): Spark's collect_list has no ORDER BY:
    the values are sorted (array_sort) when ordered by themselves (every caller: the
    default), and collected distinct with collect_set; `where` filters the aggregate inside
    the sort (a FILTER on array_sort is refused). NULLs are dropped, as DuckDB's list keeps
    them: callers aggregate non-NULL columns or filter them. -#}
{% macro spark__array_aggregate(expr, distinct, order_by, where) -%}
    {%- if order_by != expr -%}
        {{ exceptions.raise_compiler_error(
            "array_aggregate on Spark orders by the value itself only: " ~ order_by) }}
    {%- endif -%}
    array_sort({{ 'collect_set' if distinct else 'collect_list' }}({{ expr }})
    {%- if where %} filter (where {{ where }}){% endif %})
{%- endmacro %}

{#- The email rule on Spark: Spark SQL has no Unicode normalization function, so NFC is
    ICU's (the icu4j jar Spark ships for its collations) through reflect; the same white
    space (Java's regex has \p{Z}), lower case, empty is NULL. -#}
{% macro spark__normalize_email(email_expr) -%}
    nullif(
        lower(
            regexp_replace(
                case when {{ email_expr }} is not null then
                    reflect('com.ibm.icu.text.Normalizer', 'compose', {{ email_expr }}, false)
                end,
                '^[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+|[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+$',
                ''
            )
        ),
        ''
    )
{%- endmacro %}

{#- Seed rows as literals: dbt-spark's session binds a value as '<value>' unescaped (a
    quote in a name, Tonga's "Pa'anga", breaks the statement) and numbers through float;
    here text is escaped for Spark's literal syntax and numbers are written exactly. -#}
{% macro spark_literal(value) -%}
    {%- if value is none -%}null
    {%- else -%}'{{ (value | string).replace('\\', '\\\\').replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = ledgerdesk.spark_type_name(column_override.get(col_name, inferred_type)) -%}
                    cast({{ ledgerdesk.spark_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}

{#- json_array_subscripts / json_array_element on Spark (portable.sql: one set-returning call
    per select): the 1-based indexes of a json_array_at value (an array<string> of the
    elements' JSON texts), none for NULL or an empty array (sequence(1, 0) would count
    down), then the element at one. -#}
{% macro spark__json_array_subscripts(array_expr) -%}
    explode(case when size({{ array_expr }}) > 0 then sequence(1, size({{ array_expr }})) end)
{%- endmacro %}

{% macro spark__json_array_element(array_expr, index_expr) -%}
    element_at({{ array_expr }}, {{ index_expr }})
{%- endmacro %}
