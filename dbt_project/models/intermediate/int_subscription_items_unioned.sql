{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='subscription_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('subscription_id', ledgerdesk.gateway_keys('subscription_items', 'subscription_id')) }}",
) }}
-- Every gateway's subscription items, one contract (see _intermediate__models.yml): the
-- int_<gateway>__subscription_items model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('subscription_items', parent_key='subscription_id') }}
