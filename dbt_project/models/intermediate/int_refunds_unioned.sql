{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='refund_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('refund_id', ledgerdesk.gateway_keys('refunds', 'refund_id')) }}",
) }}
-- Every gateway's refunds, one contract (see _intermediate__models.yml): the
-- int_<gateway>__refunds model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('refunds') }}
