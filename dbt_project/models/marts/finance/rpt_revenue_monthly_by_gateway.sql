-- Revenue by calendar month (UTC), gateway, account and currency, never converted: the one
-- place of the revenue rules (rpt_revenue_monthly adds these rows up). Gross is the captured
-- amount of succeeded payments by the month the payment was created; refunds are succeeded
-- refunds (not released authorizations) by the month the refund was created; a lost
-- dispute counts in the month it closed, or, when its closing was never seen, the month it
-- opened (estimated). net = gross - refunds - lost disputes (DECISIONLOG.md).
with

payments as (

    select * from {{ ref('fct_payments') }}

),

refunds as (

    select * from {{ ref('fct_refunds') }}

),

disputes as (

    select * from {{ ref('fct_disputes') }}

),

gross as (

    select
        cast(date_trunc('month', created_at) as date) as month,
        gateway,
        account_id,
        currency,
        cast(sum(amount_captured_minor) as bigint) as gross_minor,
        count(*) as payments_count
    from payments
    -- An authorization that captured nothing is no payment here (payments_count).
    where
        status = 'succeeded'
        and amount_captured_minor > 0
    group by 1, 2, 3, 4

),

refunded as (

    select
        cast(date_trunc('month', created_at) as date) as month,
        gateway,
        account_id,
        currency,
        cast(sum(amount_minor) as bigint) as refunds_minor,
        count(*) as refunds_count
    from refunds
    where is_revenue_refund
    group by 1, 2, 3, 4

),

lost as (

    select
        cast(date_trunc('month', coalesce(closed_at, created_at)) as date) as month,
        gateway,
        account_id,
        currency,
        cast(sum(amount_minor) as bigint) as disputes_lost_minor,
        count(*) as disputes_lost_count,
        cast(sum(case when is_closed_at_estimated then 1 else 0 end) as bigint)
            as disputes_lost_estimated_count
    from disputes
    where status = 'lost'
    group by 1, 2, 3, 4

),

months as (

    select
        month,
        gateway,
        account_id,
        currency
    from gross
    union
    select
        month,
        gateway,
        account_id,
        currency
    from refunded
    union
    select
        month,
        gateway,
        account_id,
        currency
    from lost

),

final as (

    select
        months.month,
        months.gateway,
        months.account_id,
        months.currency,
        coalesce(gross.gross_minor, 0) as gross_minor,
        coalesce(refunded.refunds_minor, 0) as refunds_minor,
        coalesce(lost.disputes_lost_minor, 0) as disputes_lost_minor,
        coalesce(gross.gross_minor, 0)
        - coalesce(refunded.refunds_minor, 0)
        - coalesce(lost.disputes_lost_minor, 0) as net_minor,
        coalesce(gross.payments_count, 0) as payments_count,
        coalesce(refunded.refunds_count, 0) as refunds_count,
        coalesce(lost.disputes_lost_count, 0) as disputes_lost_count,
        coalesce(lost.disputes_lost_estimated_count, 0) as disputes_lost_estimated_count

    from months
    left join gross
        on
            months.month = gross.month
            and months.gateway = gross.gateway
            and months.account_id = gross.account_id
            and months.currency = gross.currency
    left join refunded
        on
            months.month = refunded.month
            and months.gateway = refunded.gateway
            and months.account_id = refunded.account_id
            and months.currency = refunded.currency
    left join lost
        on
            months.month = lost.month
            and months.gateway = lost.gateway
            and months.account_id = lost.account_id
            and months.currency = lost.currency

),

with_major as (

    select
        *,
        {{ to_major('net_minor', 'currency') }} as net_major
    from final

)

select * from with_major
