{#- The one email-normalization rule (DECISIONLOG.md): Unicode NFC, leading and
    trailing whitespace removed (every character Unicode calls white space: ASCII ones,
    U+001C-U+001F, U+0085, no-break space U+00A0 and every space, line and paragraph
    separator \p{Z}), lower case; inner characters are kept; empty is NULL.
    Staging inlines it; `create_email_normalizer()` (on-run-start) stores the very same
    expression as the DuckDB macro marts.normalize_email(email), which publishing copies
    into the snapshot so the lookup page normalizes what an agent types through it. -#}
{% macro normalize_email(email_expr) -%}
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

{% macro create_email_normalizer() -%}
    create schema if not exists marts;
    create or replace macro marts.normalize_email(email) as {{ normalize_email('email') }};
{%- endmacro %}
