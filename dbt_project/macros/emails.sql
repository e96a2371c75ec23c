{#- The one email-normalization rule (DECISIONLOG.md): Unicode NFC, leading and
    trailing whitespace removed (every character Unicode calls white space: ASCII ones,
    U+001C-U+001F, U+0085, no-break space U+00A0 and every space, line and paragraph
    separator \p{Z}), lower case; inner characters are kept; empty is NULL.
    Staging inlines it; `create_email_normalizer()` (on-run-start) stores the very same
    expression as the DuckDB macro marts.normalize_email(email), which publishing copies
    into the snapshot so the lookup page normalizes what an agent types through it. -#}
{% macro normalize_email(email_expr) -%}
    {{- return(adapter.dispatch('normalize_email', 'ledgerdesk')(email_expr)) -}}
{%- endmacro %}

{% macro default__normalize_email(email_expr) -%}
    nullif(
        lower(
            regexp_replace(
                nfc_normalize({{ email_expr }}),
                '^[\s\x{0B}\x{1C}-\x{1F}\x{85}\p{Z}]+|[\s\x{0B}\x{1C}-\x{1F}\x{85}\p{Z}]+$',
                '',
                'g'
            )
        ),
        ''
    )
{%- endmacro %}

{#- PostgreSQL: the same characters, written out (its regex has no \p{Z}; [[:space:]]
    depends on the database's locale, so it only adds ASCII white space here, the rest is
    listed): U+0009-000D, U+001C-001F, U+0020, U+0085, U+00A0, U+1680, U+2000-200A,
    U+2028, U+2029, U+202F, U+205F, U+3000. Lower case under the collation "C.utf8", not
    the database's own: lower() follows LC_CTYPE, and in a database created with C or POSIX
    it changes ASCII letters only (lower('É') is 'É'). "C.utf8" maps each character alone,
    as DuckDB does (İ is i, a final Σ is σ); ICU's "und-x-icu" would not (i̇, ς). -#}
{% macro postgres__normalize_email(email_expr) -%}
    {%- set space -%}
        [[:space:]\u0009-\u000d\u001c-\u001f\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]
    {%- endset -%}
    nullif(
        lower(
            regexp_replace(
                normalize({{ email_expr }}, nfc),
                '^{{ space }}+|{{ space }}+$',
                '',
                'g'
            ) collate "C.utf8"
        ),
        ''
    )
{%- endmacro %}

{% macro create_email_normalizer() -%}
    {{- return(adapter.dispatch('create_email_normalizer', 'ledgerdesk')()) -}}
{%- endmacro %}

{#- PostgreSQL: the function marts.normalize_email(text), for readers of the warehouse. -#}
{% macro postgres__create_email_normalizer() -%}
    create schema if not exists marts;
    create or replace function marts.normalize_email(email text) returns text
        language sql immutable parallel safe
        return {{ normalize_email('email') }};
{%- endmacro %}

{% macro default__create_email_normalizer() -%}
    create schema if not exists marts;
    create or replace macro marts.normalize_email(email) as {{ normalize_email('email') }};
{%- endmacro %}
