{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'rpt_revenue_monthly'}}}) }}
-- Over all months, rpt_revenue_monthly adds up to the facts per currency.
with

report as (

    select
        currency,
        sum(gross_minor) as gross_minor,
        sum(refunds_minor) as refunds_minor,
        sum(disputes_lost_minor) as disputes_lost_minor,
        sum(net_minor) as net_minor
    from {{ ref('rpt_revenue_monthly') }}
    group by currency

),

facts as (

    select
        currency,
        -- An amount that is no whole ISO minor unit is NULL in the facts and adds nothing to
        -- the report (assert_gateway_amounts_convert_exactly lists it).
        coalesce(sum(gross_minor), 0) as gross_minor,
        coalesce(sum(refunds_minor), 0) as refunds_minor,
        coalesce(sum(disputes_lost_minor), 0) as disputes_lost_minor
    from (
        select
            currency,
            amount_captured_minor as gross_minor,
            0 as refunds_minor,
            0 as disputes_lost_minor
        from {{ ref('fct_payments') }}
        where status = 'succeeded'
        union all
        select
            currency,
            0 as gross_minor,
            amount_minor as refunds_minor,
            0 as disputes_lost_minor
        from {{ ref('fct_refunds') }}
        where is_revenue_refund
        union all
        select
            currency,
            0 as gross_minor,
            0 as refunds_minor,
            amount_minor as disputes_lost_minor
        from {{ ref('fct_disputes') }}
        where status = 'lost'
    ) as movements
    group by currency

)

select coalesce(report.currency, facts.currency) as currency
from report
full outer join facts
    on report.currency = facts.currency
where
    report.gross_minor is distinct from facts.gross_minor
    or report.refunds_minor is distinct from facts.refunds_minor
    or report.disputes_lost_minor is distinct from facts.disputes_lost_minor
    or report.net_minor
    is distinct from facts.gross_minor - facts.refunds_minor - facts.disputes_lost_minor
