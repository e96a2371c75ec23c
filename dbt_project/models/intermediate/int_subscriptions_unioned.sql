{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='subscription_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('subscription_id', ledgerdesk.gateway_keys('subscriptions', 'subscription_id')) }}",
) }}
-- Every gateway's subscriptions, one contract (see _intermediate__models.yml): the
-- int_<gateway>__subscriptions model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('subscriptions') }}
