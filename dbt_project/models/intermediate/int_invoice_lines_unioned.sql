{{ config(materialized='table') }}
-- Every gateway's invoice lines, one contract (see _intermediate__models.yml): the
-- int_<gateway>__invoice_lines model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('invoice_lines') }}
