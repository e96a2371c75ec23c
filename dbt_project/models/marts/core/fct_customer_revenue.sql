-- Lifetime money per person and currency (one row per person_id, currency), by the
-- definitions of rpt_revenue_monthly: captured amount of succeeded payments, succeeded
-- refunds that are not released authorizations, lost disputes; net = gross - refunds -
-- lost disputes. Never converted.
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

movements as (

    select
        person_id,
        currency,
        amount_captured_minor as gross_minor,
        0 as refunds_minor,
        0 as disputes_lost_minor,
        created_at as payment_at
    from payments
    where
        status = 'succeeded'
        and amount_captured_minor > 0
        and person_id is not null

    union all

    select
        person_id,
        currency,
        0 as gross_minor,
        amount_minor as refunds_minor,
        0 as disputes_lost_minor,
        null as payment_at
    from refunds
    where is_revenue_refund and person_id is not null

    union all

    select
        person_id,
        currency,
        0 as gross_minor,
        0 as refunds_minor,
        amount_minor as disputes_lost_minor,
        null as payment_at
    from disputes
    where status = 'lost' and person_id is not null

),

final as (

    select
        person_id,
        currency,
        -- An amount that is no whole ISO minor unit is NULL in the facts and adds nothing, as in
        -- rpt_revenue_monthly (assert_gateway_amounts_convert_exactly lists it).
        cast(coalesce(sum(gross_minor), 0) as bigint) as gross_minor,
        cast(coalesce(sum(refunds_minor), 0) as bigint) as refunds_minor,
        cast(coalesce(sum(disputes_lost_minor), 0) as bigint) as disputes_lost_minor,
        cast(
            coalesce(sum(gross_minor), 0)
            - coalesce(sum(refunds_minor), 0)
            - coalesce(sum(disputes_lost_minor), 0) as bigint
        ) as net_minor,
        count(payment_at) as succeeded_payments_count,
        min(payment_at) as first_payment_at,
        max(payment_at) as last_payment_at

    from movements
    group by person_id, currency

),

with_major as (

    select
        *,
        {{ to_major('gross_minor', 'currency') }} as gross_major,
        {{ to_major('net_minor', 'currency') }} as net_major
    from final

)

select * from with_major
