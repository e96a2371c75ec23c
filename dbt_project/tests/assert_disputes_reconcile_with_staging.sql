{{ config(meta={'dagster': {'ref': {'name': 'fct_disputes'}}}) }}
-- Staged disputes equal fct_disputes per currency and status (count and amount).
with

staged as (

    select
        currency,
        status,
        count(*) as disputes_count,
        sum(amount_minor) as amount_minor
    from {{ ref('stg_stripe__disputes') }}
    group by currency, status

),

mart as (

    select
        currency,
        status,
        count(*) as disputes_count,
        sum(amount_minor) as amount_minor
    from {{ ref('fct_disputes') }}
    where gateway = 'stripe'
    group by currency, status

)

select
    coalesce(staged.currency, mart.currency) as currency,
    coalesce(staged.status, mart.status) as status,
    staged.amount_minor as staged_minor,
    mart.amount_minor as mart_minor
from staged
full outer join mart
    on staged.currency = mart.currency and staged.status = mart.status
where
    staged.disputes_count is distinct from mart.disputes_count
    or staged.amount_minor is distinct from mart.amount_minor
