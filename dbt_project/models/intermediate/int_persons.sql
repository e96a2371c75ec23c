{{ config(materialized='table') }}
-- Identity matching: one person per normalized email across every gateway and account;
-- a customer object without an email is a person of its own. Grain: one row per
-- gateway customer (customer_id), mapping it to its person_id. A deleted customer is no
-- person any more (its tombstone has no email): its payments stay in the facts without one.
with

customers as (

    select * from {{ ref('int_customers_unioned') }}
    where is_deleted is not true

),

keyed as (

    select
        customer_id,
        gateway,
        account_id,
        email_normalized,
        case
            when email_normalized is not null then 'email:' || email_normalized
            else 'customer:' || customer_id
        end as identity_key

    from customers

),

final as (

    select
        customer_id,
        md5(identity_key) as person_id,
        gateway,
        account_id,
        email_normalized,
        case
            when email_normalized is not null then 'email' else 'standalone'
        end as match_method,
        count(*) over (partition by identity_key) as customers_of_person

    from keyed

)

select * from final
