-- One row per person (see int_persons), across gateways: every gateway customer object of
-- that person (dim_customer_identities has one row per customer with the rule that matched
-- it), their emails and other identifiers, the name and country of their most recent
-- customer object, and their payment span.
with

persons as (

    select * from {{ ref('int_persons') }}

),

customers as (

    select * from {{ ref('int_customers_unioned') }}

),

payments as (

    select * from {{ ref('int_payments_unioned') }}

),

person_customers as (

    select
        persons.person_id,
        persons.match_method,
        persons.external_id as person_external_id,
        persons.tax_id as person_tax_id,
        customers.*

    from persons
    inner join customers
        on persons.customer_id = customers.customer_id

),

aggregated as (

    select
        person_id,
        min(email_normalized) as email_normalized,
        coalesce(
            {{ array_aggregate(
                'email_normalized', distinct=true, where='email_normalized is not null'
            ) }},
            {{ empty_text_array() }}
        ) as emails_normalized,
        coalesce(
            {{ array_aggregate(
                'person_external_id', distinct=true, where='person_external_id is not null'
            ) }},
            {{ empty_text_array() }}
        ) as external_ids,
        coalesce(
            {{ array_aggregate(
                'person_tax_id', distinct=true, where='person_tax_id is not null'
            ) }},
            {{ empty_text_array() }}
        ) as tax_ids,
        {{ array_aggregate('match_method', distinct=true) }} as match_methods,
        {{ last_by('customer_name', 'created_at', tie='customer_id') }} as display_name,
        {{ last_by('country', 'created_at', tie='customer_id') }} as country,
        {{ array_aggregate('customer_id') }} as customer_ids,
        {{ array_aggregate('gateway', distinct=true) }} as gateways,
        count(*) as customers_count,
        min(created_at) as first_seen_at

    from person_customers
    group by person_id

),

payment_span as (

    select
        persons.person_id,
        min(payments.created_at) as first_payment_at,
        max(payments.created_at) as last_payment_at,
        count(*) as succeeded_payments_count

    from payments
    inner join persons
        on payments.customer_id = persons.customer_id
    where payments.status = 'succeeded'
    group by persons.person_id

),

final as (

    select
        aggregated.person_id,
        aggregated.email_normalized,
        aggregated.emails_normalized,
        aggregated.display_name,
        aggregated.country,
        aggregated.customer_ids,
        aggregated.gateways,
        aggregated.external_ids,
        aggregated.tax_ids,
        aggregated.match_methods,
        aggregated.customers_count,
        aggregated.first_seen_at,
        payment_span.first_payment_at,
        payment_span.last_payment_at,
        coalesce(payment_span.succeeded_payments_count, 0) as succeeded_payments_count

    from aggregated
    left join payment_span
        on aggregated.person_id = payment_span.person_id

)

select * from final
