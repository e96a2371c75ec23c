-- decimal_to_minor() (macros/money.sql) over the examples of the decimal_amount_examples
-- seed, every gateway's rule in one view: the model its unit tests
-- (_utilities__unit_tests.yml), assert_decimal_amount_examples_convert and the Python
-- agreement test (tests/ledgerdesk/test_money_sql.py) check.
with

examples as (

    select * from {{ ref('decimal_amount_examples') }}

),

final as (

    select
        examples.gateway,
        examples.amount_text,
        examples.currency,
        examples.expected_minor,
        {{ decimal_to_minor('examples.amount_text', 'places') }} as amount_minor

    from examples
    {{ join_decimal_places('places', 'examples.currency', gateway_col='examples.gateway') }}

)

select * from final
