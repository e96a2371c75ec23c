{{ config(materialized='table') }}
-- Every gateway's invoice taxes, one contract (see _intermediate__models.yml): the
-- int_<gateway>__invoice_taxes model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('invoice_taxes') }}
