{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='invoice_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('invoice_id', ledgerdesk.gateway_keys('invoice_lines', 'invoice_id')) }}",
) }}
-- Every gateway's invoice lines, one contract (see _intermediate__models.yml): the
-- int_<gateway>__invoice_lines model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('invoice_lines', parent_key='invoice_id') }}
