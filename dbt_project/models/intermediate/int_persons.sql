{{ config(materialized='table') }}
-- Identity matching (DECISIONLOG.md, room identity): one person per set of gateway
-- customers, across gateways and accounts, joined by any identifier two of them share: the
-- normalized email, then the external id, then the VAT/tax id, plus the operators' manual
-- links (seeds/person_overrides.csv); transitively (a shares an email with b, b an external
-- id with c: one person). A customer an operator split off keeps none of its automatic
-- matches. Grain: one row per gateway customer (customer_id), mapping it to its person_id.
-- A deleted customer is no person any more: its payments stay in the facts without one.
--
-- The closure is label propagation over (customer, identifier) memberships: every customer
-- starts with its own identity key, and each round every identifier takes the least label
-- of its customers and every customer the least label of its identifiers. After
-- vars.identity_match_rounds rounds one more is computed: a customer whose label would
-- still change is not settled (is_settled false; a warning lists it).
{%- set rounds = var('identity_match_rounds') | int %}
with

customers as (

    select * from {{ ref('int_customers_unioned') }}
    where is_deleted is not true

),

overrides as (

    select
        lower(trim(action)) as action,
        trim(customer_id) as customer_id,
        trim(linked_customer_id) as linked_customer_id
    from {{ ref('person_overrides') }}

),

split_off as (

    select distinct customer_id
    from overrides
    where action = 'split'

),

keyed as (

    select
        customers.customer_id,
        customers.gateway,
        customers.account_id,
        customers.email_normalized,
        {{ normalize_external_id('customers.external_id') }} as external_id,
        {{ normalize_tax_id('customers.tax_id') }} as tax_id,
        split_off.customer_id is not null as is_split_off,
        -- The person's id is the md5 of the least identity key among its customers (a
        -- person with one email keeps the id it had when matching was by email only). A
        -- customer split off is no longer known by its email: its own key.
        case
            when customers.email_normalized is not null and split_off.customer_id is null
                then 'email:' || customers.email_normalized
            else 'customer:' || customers.customer_id
        end as identity_key

    from customers
    left join split_off
        on customers.customer_id = split_off.customer_id

),

-- Both ends of a manual link between two customers that exist.
manual_links as (

    select
        overrides.customer_id,
        overrides.linked_customer_id as other_customer_id
    from overrides
    inner join keyed as linking on overrides.customer_id = linking.customer_id
    inner join keyed as linked on overrides.linked_customer_id = linked.customer_id
    where overrides.action = 'link'

    union all

    select
        overrides.linked_customer_id as customer_id,
        overrides.customer_id as other_customer_id
    from overrides
    inner join keyed as linking on overrides.customer_id = linking.customer_id
    inner join keyed as linked on overrides.linked_customer_id = linked.customer_id
    where overrides.action = 'link'

),

-- (customer, identifier) pairs; every customer is a member of its own 'self' identifier,
-- so that it keeps its label in every round. rule_rank orders the rules.
memberships as (

    select
        customer_id,
        'self:' || customer_id as match_key,
        'self' as match_rule,
        9 as rule_rank,
        cast(null as varchar) as matched_on
    from keyed

    union all

    select
        customer_id,
        'email:' || email_normalized as match_key,
        'email' as match_rule,
        1 as rule_rank,
        email_normalized as matched_on
    from keyed
    where email_normalized is not null and not is_split_off

    union all

    select
        customer_id,
        'external_id:' || external_id as match_key,
        'external_id' as match_rule,
        2 as rule_rank,
        external_id as matched_on
    from keyed
    where external_id is not null and not is_split_off

    union all

    select
        customer_id,
        'tax_id:' || tax_id as match_key,
        'tax_id' as match_rule,
        3 as rule_rank,
        tax_id as matched_on
    from keyed
    where tax_id is not null and not is_split_off

    union all

    select
        customer_id,
        'manual:' || least(customer_id, other_customer_id) || '|'
        || greatest(customer_id, other_customer_id) as match_key,
        'manual' as match_rule,
        4 as rule_rank,
        other_customer_id as matched_on
    from manual_links

),

labels_0 as (

    select
        customer_id,
        identity_key as label
    from keyed

),
{%- for round in range(1, rounds + 2) %}

    identifier_labels_{{ round }} as (

        select
            memberships.match_key,
            min(previous.label) as label
        from memberships
        inner join labels_{{ round - 1 }} as previous
            on memberships.customer_id = previous.customer_id
        group by memberships.match_key

    ),

    labels_{{ round }} as (

        select
            memberships.customer_id,
            min(identifier_labels_{{ round }}.label) as label
        from memberships
        inner join identifier_labels_{{ round }}
            on memberships.match_key = identifier_labels_{{ round }}.match_key
        group by memberships.customer_id

    ),
{%- endfor %}

persons as (

    select
        settled.customer_id,
        settled.label,
        settled.label = checked.label as is_settled
    from labels_{{ rounds }} as settled
    inner join labels_{{ rounds + 1 }} as checked
        on settled.customer_id = checked.customer_id

),

-- An identifier that two customers of one person share is what matched them; a customer's
-- rule is the first (email, external id, tax id, manual) of those it has.
shared as (

    select
        customer_id,
        match_rule,
        rule_rank,
        matched_on
    from (
        select
            memberships.customer_id,
            memberships.match_rule,
            memberships.rule_rank,
            memberships.matched_on,
            count(*) over (partition by persons.label, memberships.match_key) as sharers
        from memberships
        inner join persons
            on memberships.customer_id = persons.customer_id
        where memberships.match_rule != 'self'
    ) as counted
    where sharers > 1

),

customer_rules as (

    select
        customer_id,
        min(match_rule) as match_method,
        min(matched_on) as matched_on
    from (
        select
            *,
            min(rule_rank) over (partition by customer_id) as best_rank
        from shared
    ) as ranked
    where rule_rank = best_rank
    group by customer_id

),

final as (

    select
        keyed.customer_id,
        md5(persons.label) as person_id,
        keyed.gateway,
        keyed.account_id,
        keyed.email_normalized,
        keyed.external_id,
        keyed.tax_id,
        coalesce(customer_rules.match_method, 'standalone') as match_method,
        customer_rules.matched_on,
        keyed.is_split_off,
        persons.is_settled,
        count(*) over (partition by persons.label) as customers_of_person

    from keyed
    inner join persons
        on keyed.customer_id = persons.customer_id
    left join customer_rules
        on keyed.customer_id = customer_rules.customer_id

)

select * from final
