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
