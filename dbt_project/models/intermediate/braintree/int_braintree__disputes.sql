-- Braintree disputes: open -> needs_response, disputed -> under_review, won, lost; accepted,
-- expired and auto_accepted are lost in the merchant's or the network's word. A dispute
-- closes when its status history reaches won or lost (or a word for lost): its own record,
-- never estimated.
with

disputes as (

    select * from {{ ref('stg_braintree__disputes') }}

),

events as (

    select * from {{ ref('stg_braintree__dispute_status_events') }}

),

sales as (

    select * from {{ ref('stg_braintree__transactions') }}
    where transaction_type = 'sale'

),

closings as (

    select
        account_id,
        dispute_id,
        min(changed_at) as closed_at
    from events
    where status in ('won', 'lost', 'accepted', 'expired', 'auto_accepted')
    group by account_id, dispute_id

),

final as (

    select
        {{ scoped_id('braintree', 'disputes.account_id', 'disputes.dispute_id') }} as dispute_id,
        'braintree' as gateway,
        disputes.account_id,
        disputes.dispute_id as source_dispute_id,
        {{ scoped_id('braintree', 'disputes.account_id', 'disputes.transaction_id') }}
            as payment_id,
        {{ scoped_id('braintree', 'disputes.account_id', 'sales.customer_id') }} as customer_id,
        disputes.created_at,
        closings.closed_at,
        false as is_closed_at_estimated,
        case disputes.status
            when 'open' then 'needs_response'
            when 'disputed' then 'under_review'
            when 'won' then 'won'
            when 'lost' then 'lost'
            when 'accepted' then 'lost'
            when 'expired' then 'lost'
            when 'auto_accepted' then 'lost'
        end as status,
        disputes.status as source_status,
        {{ decimal_to_minor('disputes.amount_disputed_text', 'places') }}
            as amount_minor,
        disputes.currency,
        disputes.reason,
        coalesce(disputes.response_deadline_at, cast(disputes.reply_by_date as timestamp))
            as evidence_due_at,
        greatest(disputes.synced_at, sales.synced_at) as synced_at

    from disputes
    left join closings
        on
            disputes.account_id = closings.account_id
            and disputes.dispute_id = closings.dispute_id
    left join sales
        on
            disputes.account_id = sales.account_id
            and disputes.transaction_id = sales.transaction_id
    {{ join_decimal_places('places', 'disputes.currency', 'braintree') }}

)

select * from final
