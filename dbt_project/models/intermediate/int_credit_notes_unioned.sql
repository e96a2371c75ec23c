{{ config(
    materialized=ledgerdesk.contract_materialization(),
    incremental_strategy='delete+insert',
    unique_key='credit_note_id',
    on_schema_change='append_new_columns',
    post_hook="{{ ledgerdesk.delete_gone('credit_note_id', ledgerdesk.gateway_keys('credit_notes', 'credit_note_id')) }}",
) }}
-- Every gateway's credit notes, one contract (see _intermediate__models.yml): the
-- int_<gateway>__credit_notes model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('credit_notes') }}
