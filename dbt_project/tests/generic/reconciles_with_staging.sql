{% test reconciles_with_staging(model, staged, gateway) %}
{{ config(severity='warn') }}
-- The mart holds what staging holds for one gateway: per currency and status, the same
-- number of objects and the same amount. Staging keeps the gateway's units; each staged
-- amount is converted to ISO 4217 minor units (to_iso_minor) before it is summed. Rows
-- returned = mismatches.
with

staged as (

    select
        currency,
        status,
        count(*) as objects_count,
        sum({{ to_iso_minor('amount_minor', 'currency', gateway) }}) as amount_minor
    from {{ staged }}
    group by currency, status

),

mart as (

    select
        currency,
        status,
        count(*) as objects_count,
        sum(amount_minor) as amount_minor
    from {{ model }}
    where gateway = '{{ gateway }}'
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
    staged.objects_count is distinct from mart.objects_count
    or staged.amount_minor is distinct from mart.amount_minor

{% endtest %}
