-- decimal_to_minor() on the real currency seeds gives each example's hand-written expected
-- value (seeds/decimal_amount_examples.csv; blank expected = NULL). Rows returned =
-- examples that convert otherwise. Structural: blocks.
select
    gateway,
    amount_text,
    currency,
    expected_minor,
    amount_minor
from {{ ref('util_decimal_amounts') }}
where amount_minor is distinct from expected_minor
