{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('customer_id', ledgerdesk.gateway_keys('customers', 'customer_id')) }}",
) }}
-- Every gateway's customers, one contract (see _intermediate__models.yml): the
-- int_<gateway>__customers model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('customers') }}
