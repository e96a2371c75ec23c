{#- The one email-normalization rule (DECISIONLOG.md, contract 7): Unicode NFC, leading and
    trailing whitespace removed (ASCII whitespace, no-break space U+00A0 and every other
    Unicode space separator), lower case; inner characters are kept; empty is NULL.
    Staging inlines it; `create_email_normalizer()` (on-run-start) stores the very same
    expression as the DuckDB macro marts.normalize_email(email), which publishing copies
    into the snapshot so the lookup page normalizes what an agent types through it. -#}
{% macro normalize_email(email_expr) -%}
    nullif(
        lower(
            regexp_replace(
                nfc_normalize({{ email_expr }}),
                '^[\s\x{0B}\x{85}\x{FEFF}\p{Z}]+|[\s\x{0B}\x{85}\x{FEFF}\p{Z}]+$',
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
