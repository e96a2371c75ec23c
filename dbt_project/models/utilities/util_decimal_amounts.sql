-- decimal_to_minor() (macros/money.sql) over the examples of the decimal_amount_examples
-- seed, every gateway's rule in one view: the model its unit tests
-- (_utilities__unit_tests.yml) and assert_decimal_amount_examples_convert check.
with

examples as (

    select * from {{ ref('decimal_amount_examples') }}

),

final as (

    select
        gateway,
        amount_text,
        currency,
        expected_minor,
        {{ decimal_text_to_minor('amount_text', 'currency', 'gateway') }} as amount_minor

    from examples

)

select * from final
