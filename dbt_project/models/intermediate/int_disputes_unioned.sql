{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='dispute_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('dispute_id', ledgerdesk.gateway_keys('disputes', 'dispute_id')) }}",
) }}
-- Every gateway's disputes, one contract (see _intermediate__models.yml): the
-- int_<gateway>__disputes model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('disputes') }}
