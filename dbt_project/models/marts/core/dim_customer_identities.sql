-- One row per gateway customer of a person (int_persons): who the customer is at its
-- gateway and why the warehouse counts it as that person (the rule and the identifier it
-- shares), for an agent checking a match and an operator correcting one
-- (seeds/person_overrides.csv takes the customer_id shown here).
with

persons as (

    select * from {{ ref('int_persons') }}

),

customers as (

    select * from {{ ref('int_customers_unioned') }}

),

final as (

    select
        persons.customer_id,
        persons.person_id,
        customers.gateway,
        customers.account_id,
        customers.source_customer_id,
        customers.email,
        customers.email_normalized,
        customers.customer_name,
        customers.country,
        customers.external_id,
        customers.tax_id,
        persons.match_method,
        persons.matched_on,
        persons.is_split_off,
        persons.is_settled,
        persons.customers_of_person,
        customers.created_at

    from persons
    inner join customers
        on persons.customer_id = customers.customer_id

)

select * from final
