{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='payment_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('payment_id', ledgerdesk.gateway_keys('payments', 'payment_id')) }}",
) }}
-- Every gateway's payments, one contract (see _intermediate__models.yml): the
-- int_<gateway>__payments model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('payments') }}
