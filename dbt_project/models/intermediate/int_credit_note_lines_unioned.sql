{{ config(materialized='table') }}
-- Every gateway's credit note lines, one contract (see _intermediate__models.yml): the
-- int_<gateway>__credit_note_lines model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('credit_note_lines') }}
