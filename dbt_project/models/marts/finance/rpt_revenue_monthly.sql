-- Revenue by calendar month (UTC) and currency, the whole company: the rows of
-- rpt_revenue_monthly_by_gateway (where the revenue rules live) added up over gateways and
-- accounts, never across currencies (DECISIONLOG.md).
with

by_gateway as (

    select * from {{ ref('rpt_revenue_monthly_by_gateway') }}

),

final as (

    select
        month,
        currency,
        cast(sum(gross_minor) as bigint) as gross_minor,
        cast(sum(refunds_minor) as bigint) as refunds_minor,
        cast(sum(disputes_lost_minor) as bigint) as disputes_lost_minor,
        cast(sum(net_minor) as bigint) as net_minor,
        cast(sum(payments_count) as bigint) as payments_count,
        cast(sum(refunds_count) as bigint) as refunds_count,
        cast(sum(disputes_lost_count) as bigint) as disputes_lost_count,
        cast(sum(disputes_lost_estimated_count) as bigint) as disputes_lost_estimated_count
    from by_gateway
    group by month, currency

),

with_major as (

    select
        *,
        {{ to_major('net_minor', 'currency') }} as net_major
    from final

)

select * from with_major
