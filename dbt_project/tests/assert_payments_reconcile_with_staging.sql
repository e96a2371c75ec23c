{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_payments'}}}) }}
-- Every staged charge reaches fct_payments, and per currency the captured amount of
-- succeeded payments is the same in staging and in the mart (staged amounts converted from
-- Stripe's units to ISO 4217 minor units row by row first). Rows returned = mismatches.
with

staged as (

    select
        currency,
        count(*) as payments_count,
        sum(
            {{ to_iso_minor('amount_captured_minor', 'currency', 'stripe') }}
        ) filter (where status = 'succeeded') as captured_minor
    from {{ ref('stg_stripe__charges') }}
    group by currency

),

mart as (

    select
        currency,
        count(*) as payments_count,
        sum(amount_captured_minor) filter (where status = 'succeeded') as captured_minor
    from {{ ref('fct_payments') }}
    where gateway = 'stripe'
    group by currency

)

select
    coalesce(staged.currency, mart.currency) as currency,
    staged.payments_count as staged_count,
    mart.payments_count as mart_count,
    staged.captured_minor as staged_minor,
    mart.captured_minor as mart_minor
from staged
full outer join mart
    on staged.currency = mart.currency
where
    staged.payments_count is distinct from mart.payments_count
    or staged.captured_minor is distinct from mart.captured_minor
